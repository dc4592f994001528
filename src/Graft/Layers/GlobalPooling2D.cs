using System.Text.Json.Nodes;
using Graft.Tensors;

namespace Graft.Layers;

/// <summary>
/// What GlobalAveragePooling2D and GlobalMaxPooling2D share: x: (N, H, W, C) → y: (N, C), or (N, 1, 1, C)
/// with keepdims. Both outputs have the same memory layout, so keepdims changes only the shape.
/// </summary>
public abstract class GlobalPooling2D : Layer
{
    protected GlobalPooling2D(bool keepDims, string? name) : base(name) => KeepDims = keepDims;

    public bool KeepDims { get; }
    protected int Positions { get; private set; }
    protected int Channels { get; private set; }

    protected override Shape OnBuild(IReadOnlyList<Shape> inputShapes, Random rng)
    {
        var s = inputShapes[0];
        if (s.Rank != 3) throw ShapeError("(H, W, C) per image", s, "global 2D pooling takes image batches in NHWC.");
        Positions = s[0] * s[1];
        Channels = s[2];
        return KeepDims ? new Shape(1, 1, s[2]) : new Shape(s[2]);
    }

    public override void WriteConfig(JsonObject config)
    {
        config["keepdims"] = KeepDims;
        config["data_format"] = "channels_last";
    }

    internal static bool ReadKeepDims(LayerConfig c)
    {
        if (c.Has("data_format") && c.GetString("data_format") != "channels_last")
            throw new NotSupportedException($"Layer '{c.Name}' ({c.ClassName}) uses data_format \"{c.GetString("data_format")}\"; Graft supports only \"channels_last\" (NHWC).");
        return c.GetBool("keepdims", false);
    }
}
