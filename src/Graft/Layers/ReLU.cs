using System.Text.Json.Nodes;
using Graft.Kernels;
using Graft.Tensors;

namespace Graft.Layers;

/// <summary>
/// Keras's ReLU layer: f(x) = max_value if x ≥ max_value; x if threshold ≤ x &lt; max_value;
/// negative_slope · (x − threshold) otherwise. ReLU(6) is MobileNet's relu6.
/// </summary>
public sealed class ReLU : Layer
{
    // ReLU and ReLU6 take the gradient from the output (which the next layer keeps anyway), so a training step can drop the input.
    public override BackwardReads BackwardReads => GradientFromOutput ? BackwardReads.Output : BackwardReads.Inputs;

    private bool GradientFromOutput => ElementwiseRelu.CanUseOutput(MaxValue ?? float.PositiveInfinity, NegativeSlope, Threshold);

    public ReLU(float? maxValue = null, float negativeSlope = 0f, float threshold = 0f, string? name = null) : base(name)
    {
        if (maxValue is { } m && !(m >= 0))
            throw new ArgumentException($"Invalid value received for argument `max_value` of ReLU '{Name}'. Expected a non-negative number or none. Received: {m}.");
        if (!(negativeSlope >= 0) || float.IsInfinity(negativeSlope))
            throw new ArgumentException($"Invalid value received for argument `negative_slope` of ReLU '{Name}'. Expected a non-negative number. Received: {negativeSlope}.");
        if (!float.IsFinite(threshold))
            throw new ArgumentException($"Invalid value received for argument `threshold` of ReLU '{Name}'. Expected a finite number. Received: {threshold}.");
        MaxValue = maxValue;
        NegativeSlope = negativeSlope;
        Threshold = threshold;
    }

    public float? MaxValue { get; }
    public float NegativeSlope { get; }
    public float Threshold { get; }
    public override string ClassName => "ReLU";

    protected override Shape OnBuild(IReadOnlyList<Shape> inputShapes, Random rng) => inputShapes[0];

    public override void Forward(Tensor[] inputs, Tensor output, bool training) =>
        ElementwiseRelu.Forward(inputs[0].Memory, output.Memory, MaxValue ?? float.PositiveInfinity, NegativeSlope, Threshold);

    public override void Backward(Tensor[] inputs, Tensor output, Tensor outputGrad, Tensor?[] inputGrads)
    {
        if (inputGrads[0] is not { } dx) return;
        if (GradientFromOutput)
            ElementwiseRelu.BackwardFromOutput(output.Memory, outputGrad.Memory, dx.Memory, MaxValue ?? float.PositiveInfinity, NegativeSlope, Threshold);
        else
            ElementwiseRelu.Backward(inputs[0].Memory, outputGrad.Memory, dx.Memory, MaxValue ?? float.PositiveInfinity, NegativeSlope, Threshold);
    }

    public override void WriteConfig(JsonObject config)
    {
        config["max_value"] = MaxValue is { } m ? KerasNumber.Of(m) : null;
        config["negative_slope"] = KerasNumber.Of(NegativeSlope);
        config["threshold"] = KerasNumber.Of(Threshold);
    }

    internal static ReLU FromConfig(LayerConfig c) =>
        new(c.GetFloatOrNull("max_value"), c.GetFloat("negative_slope", 0f), c.GetFloat("threshold", 0f), c.Name);
}
