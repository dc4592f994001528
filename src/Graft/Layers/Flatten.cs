using System.Text.Json.Nodes;
using Graft.Tensors;

namespace Graft.Layers;

/// <summary>Keras's Flatten: (N, H, W, C) → (N, H·W·C). NHWC is already row-major, so this is a copy.</summary>
public sealed class Flatten : Layer
{
    public override BackwardReads BackwardReads => BackwardReads.None;

    public Flatten(string? name = null) : base(name) { }

    public override string ClassName => "Flatten";

    protected override Shape OnBuild(IReadOnlyList<Shape> inputShapes, Random rng) => new(inputShapes[0].Size);

    public override void Forward(Tensor[] inputs, Tensor output, bool training) => output.CopyFrom(inputs[0]);

    public override void Backward(Tensor[] inputs, Tensor output, Tensor outputGrad, Tensor?[] inputGrads) => inputGrads[0]?.CopyFrom(outputGrad);

    public override void WriteConfig(JsonObject config) => config["data_format"] = "channels_last";

    internal static Flatten FromConfig(LayerConfig c)
    {
        // channels_first would flatten in CHW order, which a copy of NHWC data does not reproduce.
        if (c.Has("data_format") && c.GetString("data_format") != "channels_last")
            throw new NotSupportedException($"Layer '{c.Name}' (Flatten) uses data_format \"{c.GetString("data_format")}\"; Graft supports only \"channels_last\" (NHWC).");
        return new Flatten(c.Name);
    }
}
