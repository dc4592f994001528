using System.Text.Json.Nodes;
using Graft.Kernels;
using Graft.Tensors;

namespace Graft.Layers;

/// <summary>Applies an element-wise activation (softmax along the channel axis).</summary>
public sealed class Activation : Layer
{
    // Activations.Backward reads y for sigmoid, tanh and softmax, nothing but dy for linear, x otherwise; relu and
    // relu6 take f'(x) from y here (x > 0 ⟺ y > 0, 0 < x < 6 ⟺ 0 < y < 6, NaN in neither), so training can drop x.
    public override BackwardReads BackwardReads => Kind switch
    {
        ActivationKind.Linear => BackwardReads.None,
        ActivationKind.Relu or ActivationKind.Relu6 or ActivationKind.Sigmoid or ActivationKind.Tanh or ActivationKind.Softmax => BackwardReads.Output,
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
        if (inputGrads[0] is not { } dx) return;
        if (Kind is ActivationKind.Relu or ActivationKind.Relu6)
            BackwardFromOutput(Kind, output.Span, outputGrad.Span, dx.Span);
        else
            Activations.Backward(Kind, inputs[0].Span, output.Span, outputGrad.Span, dx.Span, OutputShape.Rank == 0 ? 1 : OutputShape[-1]);
    }

    /// <summary>The relu and relu6 gradients of <see cref="Activations.Backward"/>, from y = f(x) instead of x (the same bits).</summary>
    internal static void BackwardFromOutput(ActivationKind kind, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        if (kind == ActivationKind.Relu)
            for (int i = 0; i < y.Length; i++) dx[i] = y[i] > 0 ? dy[i] : 0f;
        else if (kind == ActivationKind.Relu6)
            for (int i = 0; i < y.Length; i++) dx[i] = y[i] > 0 && y[i] < 6f ? dy[i] : 0f;
        else throw new ArgumentException($"Activation {kind} has no gradient from its output here.");
    }

    public override void WriteConfig(JsonObject config) => config["activation"] = ActivationNames.ToKeras(Kind);

    internal static Activation FromConfig(LayerConfig c) => new(ActivationNames.Parse(c.GetString("activation"), $"Layer '{c.Name}'"), c.Name);
}
