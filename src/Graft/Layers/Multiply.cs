using Graft.Tensors;

namespace Graft.Layers;

/// <summary>Keras's Multiply: y = x₀ ⊙ x₁ ⊙ …; input i's gradient is dy times the product of the other inputs.</summary>
public sealed class Multiply : Merge
{
    public override BackwardReads BackwardReads => BackwardReads.Inputs;

    public Multiply(string? name = null) : base(name) { }

    public override string ClassName => "Multiply";

    public override void Forward(Tensor[] inputs, Tensor output, bool training)
    {
        var y = output.Span;
        TensorPrimitives.Multiply(inputs[0].Span, inputs[1].Span, y);
        for (int i = 2; i < inputs.Length; i++) TensorPrimitives.Multiply(y, inputs[i].Span, y);
    }

    public override void Backward(Tensor[] inputs, Tensor output, Tensor outputGrad, Tensor?[] inputGrads)
    {
        // Multiplying the other factors in (rather than dividing y by x_i) stays exact when an input is zero.
        for (int i = 0; i < inputs.Length; i++)
        {
            if (inputGrads[i] is not { } dx) continue;
            var d = dx.Span;
            outputGrad.Span.CopyTo(d);
            for (int j = 0; j < inputs.Length; j++)
                if (j != i) TensorPrimitives.Multiply(d, inputs[j].Span, d);
        }
    }

    internal static Multiply FromConfig(LayerConfig c) => new(c.Name);
}
