using System.Text.Json.Nodes;
using Graft.Kernels;
using Graft.Tensors;

namespace Graft.Layers;

/// <summary>
/// Adds rows and columns of zeros around NHWC images, as Keras's ZeroPadding2D.
/// x: (N, H, W, C); y: (N, H + top + bottom, W + left + right, C).
/// </summary>
public sealed class ZeroPadding2D : Layer
{
    public override BackwardReads BackwardReads => BackwardReads.None;

    public ZeroPadding2D(int top, int bottom, int left, int right, string? name = null) : base(name)
    {
        if (top < 0 || bottom < 0 || left < 0 || right < 0)
            throw new ArgumentException($"Invalid value received for argument `padding` of ZeroPadding2D '{Name}'. Expected non-negative amounts. Received: (({top}, {bottom}), ({left}, {right})).");
        Top = top;
        Bottom = bottom;
        Left = left;
        Right = right;
    }

    /// <summary>The same amount on all four sides (Keras's default is 1).</summary>
    public ZeroPadding2D(int padding = 1, string? name = null) : this(padding, padding, padding, padding, name) { }

    /// <summary>Symmetric amounts: <paramref name="padding"/>.H rows top and bottom, .W columns left and right.</summary>
    public ZeroPadding2D((int H, int W) padding, string? name = null) : this(padding.H, padding.H, padding.W, padding.W, name) { }

    public int Top { get; }
    public int Bottom { get; }
    public int Left { get; }
    public int Right { get; }
    public override string ClassName => "ZeroPadding2D";

    protected override Shape OnBuild(IReadOnlyList<Shape> inputShapes, Random rng)
    {
        var s = inputShapes[0];
        if (s.Rank != 3) throw ShapeError("(H, W, C) images (NHWC with the batch)", s, "ZeroPadding2D pads the two spatial axes of channels-last images.");
        return new Shape(s[0] + Top + Bottom, s[1] + Left + Right, s[2]);
    }

    public override void Forward(Tensor[] inputs, Tensor output, bool training)
    {
        var s = inputs[0].Shape;
        ZeroPadding2DKernels.Forward(s[0], s[1], s[2], s[3], Top, Bottom, Left, Right, inputs[0].Span, output.Span);
    }

    public override void Backward(Tensor[] inputs, Tensor output, Tensor outputGrad, Tensor?[] inputGrads)
    {
        if (inputGrads[0] is not { } dx) return;
        var s = inputs[0].Shape;
        ZeroPadding2DKernels.Backward(s[0], s[1], s[2], s[3], Top, Bottom, Left, Right, outputGrad.Span, dx.Span);
    }

    public override void WriteConfig(JsonObject config)
    {
        config["padding"] = new JsonArray(new JsonArray(Top, Bottom), new JsonArray(Left, Right));
        config["data_format"] = "channels_last";
    }

    /// <summary>Reads padding as Keras allows it: n, [h, w], or [[top, bottom], [left, right]].</summary>
    internal static ZeroPadding2D FromConfig(LayerConfig c)
    {
        Conv2D.CheckChannelsLast(c);
        var node = c.Has("padding") ? c.Json["padding"] : null;
        static bool Int(JsonNode? n, out int v)
        {
            v = 0;
            return n is JsonValue jv && jv.TryGetValue(out v);
        }
        if (node is null) return new ZeroPadding2D(1, c.Name);
        if (Int(node, out int all)) return new ZeroPadding2D(all, c.Name);
        if (node is JsonArray { Count: 2 } arr)
        {
            if (Int(arr[0], out int h) && Int(arr[1], out int w)) return new ZeroPadding2D((h, w), c.Name);
            if (arr[0] is JsonArray { Count: 2 } hp && arr[1] is JsonArray { Count: 2 } wp
                && Int(hp[0], out int t) && Int(hp[1], out int b) && Int(wp[0], out int l) && Int(wp[1], out int r))
                return new ZeroPadding2D(t, b, l, r, c.Name);
        }
        throw c.Error("padding", "an integer, [rows, columns] or [[top, bottom], [left, right]]");
    }
}
