using System.Text.Json.Nodes;
using Graft.Kernels;
using Graft.Tensors;

namespace Graft.Layers;

/// <summary>
/// What MaxPooling2D and AveragePooling2D share: Keras's pool_size, strides (default: pool_size) and padding
/// ("valid" or "same", TensorFlow's rule), checked in the constructor, and the window geometry fixed at build.
/// x: (N, H, W, C); y: (N, OH, OW, C).
/// </summary>
public abstract class Pooling2D : Layer
{
    protected Pooling2D(int[] poolSize, int[]? strides, string padding, string? name) : base(name)
    {
        PoolSize = CheckPair(poolSize, "pool_size");
        Strides = strides is null ? PoolSize : CheckPair(strides, "strides");
        Padding = padding.ToLowerInvariant() switch
        {
            "valid" => "valid",
            "same" => "same",
            _ => throw new ArgumentException($"Invalid value received for argument `padding` of {GetType().Name} '{Name}'. Expected \"valid\" or \"same\". Received: \"{padding}\"."),
        };
    }

    public int[] PoolSize { get; }
    public int[] Strides { get; }
    public string Padding { get; }
    protected PoolingGeometry Geometry { get; private set; }

    protected override Shape OnBuild(IReadOnlyList<Shape> inputShapes, Random rng)
    {
        var s = inputShapes[0];
        if (s.Rank != 3) throw ShapeError("(H, W, C) per image", s, "2D pooling takes image batches in NHWC.");
        Geometry = PoolingGeometry.Create(s[0], s[1], s[2], PoolSize[0], PoolSize[1], Strides[0], Strides[1], Padding == "same");
        if (Geometry.OH == 0 || Geometry.OW == 0)
            throw ShapeError($"an image of at least {PoolSize[0]}×{PoolSize[1]} pixels for \"valid\" padding", s,
                "use padding=\"same\" or a smaller pool_size.");
        return new Shape(Geometry.OH, Geometry.OW, Geometry.C);
    }

    public override void WriteConfig(JsonObject config)
    {
        config["pool_size"] = new JsonArray(PoolSize[0], PoolSize[1]);
        config["strides"] = new JsonArray(Strides[0], Strides[1]);
        config["padding"] = Padding;
        config["data_format"] = "channels_last";
    }

    private int[] CheckPair(int[] v, string field)
    {
        if (v.Length != 2 || v[0] <= 0 || v[1] <= 0)
            throw new ArgumentException($"Invalid value received for argument `{field}` of {GetType().Name} '{Name}'. Expected two positive integers. Received: [{string.Join(", ", v)}].");
        return (int[])v.Clone();
    }

    /// <summary>Reads the shared fields; null strides mean "same as pool_size", as in Keras.</summary>
    internal static (int[] PoolSize, int[]? Strides, string Padding) ReadConfig(LayerConfig c)
    {
        if (c.Has("data_format") && c.GetString("data_format") != "channels_last")
            throw new NotSupportedException($"Layer '{c.Name}' ({c.ClassName}) uses data_format \"{c.GetString("data_format")}\"; Graft supports only \"channels_last\" (NHWC).");
        var pool = c.GetInts("pool_size", 2, new[] { 2, 2 });
        var strides = c.Has("strides") ? c.GetInts("strides", 2) : null;
        return (pool, strides, c.GetString("padding", "valid"));
    }
}
