using System.Text.Json.Nodes;

namespace Graft.Kernels;

/// <summary>How a convolution or pooling window treats the image border.</summary>
public enum PaddingMode
{
    /// <summary>No padding: windows stay inside the image (Keras "valid").</summary>
    Valid,
    /// <summary>TensorFlow's "same": output size ceil(in / stride); when the total is odd, the extra row/column goes bottom/right.</summary>
    Same,
    /// <summary>Fixed amounts per side, possibly asymmetric (for models converted from PyTorch or ONNX).</summary>
    Explicit,
}

/// <summary>
/// A padding setting and its arithmetic. The amounts for <see cref="PaddingMode.Same"/> depend on the input size,
/// so they are resolved per geometry with <see cref="Resolve"/>.
/// </summary>
public readonly struct Padding2D : IEquatable<Padding2D>
{
    private Padding2D(PaddingMode mode, int top, int bottom, int left, int right)
    {
        Mode = mode;
        Top = top;
        Bottom = bottom;
        Left = left;
        Right = right;
    }

    public PaddingMode Mode { get; }
    /// <summary>Explicit amounts; zero unless <see cref="Mode"/> is <see cref="PaddingMode.Explicit"/>.</summary>
    public int Top { get; }
    public int Bottom { get; }
    public int Left { get; }
    public int Right { get; }

    public static Padding2D Valid => default;
    public static Padding2D Same => new(PaddingMode.Same, 0, 0, 0, 0);

    public static Padding2D Explicit(int top, int bottom, int left, int right)
    {
        if (top < 0 || bottom < 0 || left < 0 || right < 0)
            throw new ArgumentException($"Invalid explicit padding. Expected non-negative amounts (top, bottom, left, right). Received: ({top}, {bottom}, {left}, {right}).");
        return new Padding2D(PaddingMode.Explicit, top, bottom, left, right);
    }

    /// <summary>
    /// TensorFlow's same padding along one axis: total = max((ceil(in / stride) − 1) · stride + effective kernel − in, 0),
    /// split with the odd one after (bottom/right). PyTorch's padding='same' splits the other way; converters must use Explicit.
    /// </summary>
    public static (int Before, int After) SameAmounts(int input, int kernel, int stride, int dilation)
    {
        int outSize = (input + stride - 1) / stride;
        int effective = (kernel - 1) * dilation + 1;
        int total = Math.Max((outSize - 1) * stride + effective - input, 0);
        return (total / 2, total - total / 2);
    }

    /// <summary>Output length along one axis; zero or negative when the window does not fit.</summary>
    public static int OutputSize(int input, int kernel, int stride, int dilation, int before, int after)
    {
        int span = input + before + after - ((kernel - 1) * dilation + 1);
        return span < 0 ? span : span / stride + 1;
    }

    /// <summary>The amounts (top, bottom, left, right) for an input of <paramref name="h"/>×<paramref name="w"/>.</summary>
    public (int Top, int Bottom, int Left, int Right) Resolve(int h, int w, int kh, int kw, int strideH, int strideW, int dilationH, int dilationW)
    {
        switch (Mode)
        {
            case PaddingMode.Same:
                var (t, b) = SameAmounts(h, kh, strideH, dilationH);
                var (l, r) = SameAmounts(w, kw, strideW, dilationW);
                return (t, b, l, r);
            case PaddingMode.Explicit:
                return (Top, Bottom, Left, Right);
            default:
                return (0, 0, 0, 0);
        }
    }

    /// <summary>Reads Keras's "valid"/"same", or an explicit [[top, bottom], [left, right]] (as Graft writes it).</summary>
    public static Padding2D FromJson(JsonNode? node, string context)
    {
        if (node is JsonValue v && v.TryGetValue<string>(out var s))
        {
            switch (s.ToLowerInvariant())
            {
                case "valid": return Valid;
                case "same": return Same;
            }
        }
        else if (node is JsonArray { Count: 2 } arr && arr[0] is JsonArray { Count: 2 } hp && arr[1] is JsonArray { Count: 2 } wp
            && new[] { hp[0], hp[1], wp[0], wp[1] }.All(e => e is JsonValue ev && ev.TryGetValue<int>(out var i) && i >= 0))
        {
            return Explicit(hp[0]!.GetValue<int>(), hp[1]!.GetValue<int>(), wp[0]!.GetValue<int>(), wp[1]!.GetValue<int>());
        }
        throw new FormatException($"{context}: config field 'padding' must be \"valid\", \"same\" or [[top, bottom], [left, right]]. Received: {node?.ToJsonString() ?? "nothing"}.");
    }

    public JsonNode ToJson() => Mode switch
    {
        PaddingMode.Same => JsonValue.Create("same"),
        PaddingMode.Explicit => new JsonArray(new JsonArray(Top, Bottom), new JsonArray(Left, Right)),
        _ => JsonValue.Create("valid"),
    };

    public bool Equals(Padding2D other) =>
        Mode == other.Mode && Top == other.Top && Bottom == other.Bottom && Left == other.Left && Right == other.Right;
    public override bool Equals(object? obj) => obj is Padding2D p && Equals(p);
    public override int GetHashCode() => HashCode.Combine(Mode, Top, Bottom, Left, Right);
    public static bool operator ==(Padding2D a, Padding2D b) => a.Equals(b);
    public static bool operator !=(Padding2D a, Padding2D b) => !a.Equals(b);

    public override string ToString() => Mode switch
    {
        PaddingMode.Same => "same",
        PaddingMode.Explicit => $"(({Top}, {Bottom}), ({Left}, {Right}))",
        _ => "valid",
    };
}
