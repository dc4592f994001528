using System.Text.Json.Nodes;
using Graft.Kernels;
using Graft.Tensors;

namespace Graft.Layers;

/// <summary>Keras's LeakyReLU: f(x) = x for x ≥ 0, negative_slope · x otherwise (Keras 2 called it alpha; default 0.3).</summary>
public sealed class LeakyReLU : Layer
{
    public override BackwardReads BackwardReads => BackwardReads.Inputs;

    public LeakyReLU(float negativeSlope = 0.3f, string? name = null) : base(name)
    {
        if (!(negativeSlope >= 0) || float.IsInfinity(negativeSlope))
            throw new ArgumentException($"Invalid value received for argument `negative_slope` of LeakyReLU '{Name}'. Expected a non-negative number. Received: {negativeSlope}.");
        NegativeSlope = negativeSlope;
    }

    public float NegativeSlope { get; }
    public override string ClassName => "LeakyReLU";

    protected override Shape OnBuild(IReadOnlyList<Shape> inputShapes, Random rng) => inputShapes[0];

    public override void Forward(Tensor[] inputs, Tensor output, bool training) =>
        ElementwiseRelu.Forward(inputs[0].Memory, output.Memory, float.PositiveInfinity, NegativeSlope, 0f);

    public override void Backward(Tensor[] inputs, Tensor output, Tensor outputGrad, Tensor?[] inputGrads)
    {
        if (inputGrads[0] is { } dx)
            ElementwiseRelu.Backward(inputs[0].Memory, outputGrad.Memory, dx.Memory, float.PositiveInfinity, NegativeSlope, 0f);
    }

    public override void WriteConfig(JsonObject config) => config["negative_slope"] = KerasNumber.Of(NegativeSlope);

    internal static LeakyReLU FromConfig(LayerConfig c) =>
        new(c.Has("negative_slope") ? c.GetFloat("negative_slope") : c.GetFloat("alpha", 0.3f), c.Name);
}
