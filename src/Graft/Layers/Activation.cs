using System.Text.Json.Nodes;
using Graft.Kernels;
using Graft.Tensors;

namespace Graft.Layers;

/// <summary>Applies an element-wise activation (softmax along the channel axis).</summary>
public sealed class Activation : Layer
{
    // Activations.Backward reads y for sigmoid, tanh and softmax, nothing but dy for linear, x otherwise.
    public override BackwardReads BackwardReads => Kind switch
    {
        ActivationKind.Linear => BackwardReads.None,
        ActivationKind.Sigmoid or ActivationKind.Tanh or ActivationKind.Softmax => BackwardReads.Output,
        _ => BackwardReads.Inputs,
    };

    public Activation(ActivationKind kind, string? name = null) : base(name) => Kind = kind;

    public ActivationKind Kind { get; }
    public override string ClassName => "Activation";

    protected override Shape OnBuild(IReadOnlyList<Shape> inputShapes, Random rng) => inputShapes[0];

    public override void Forward(Tensor[] inputs, Tensor output, bool training) =>
        Activations.Forward(Kind, inputs[0].Span, output.Span, OutputShape.Rank == 0 ? 1 : OutputShape[-1]);

    public override void Backward(Tensor[] inputs, Tensor output, Tensor outputGrad, Tensor?[] inputGrads)
    {
        if (inputGrads[0] is { } dx)
            Activations.Backward(Kind, inputs[0].Span, output.Span, outputGrad.Span, dx.Span, OutputShape.Rank == 0 ? 1 : OutputShape[-1]);
    }

    public override void WriteConfig(JsonObject config) => config["activation"] = ActivationNames.ToKeras(Kind);

    internal static Activation FromConfig(LayerConfig c) => new(ActivationNames.Parse(c.GetString("activation"), $"Layer '{c.Name}'"), c.Name);
}
