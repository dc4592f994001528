using Graft.Tensors;

namespace Graft.Layers;

/// <summary>Keras's Add: y = x₀ + x₁ + …; each input's gradient is dy.</summary>
public sealed class Add : Merge
{
    public override BackwardReads BackwardReads => BackwardReads.None;

    public Add(string? name = null) : base(name) { }

    public override string ClassName => "Add";

    public override void Forward(Tensor[] inputs, Tensor output, bool training)
    {
        var y = output.Span;
        TensorPrimitives.Add(inputs[0].Span, inputs[1].Span, y);
        for (int i = 2; i < inputs.Length; i++) TensorPrimitives.Add(y, inputs[i].Span, y);
    }

    public override void Backward(Tensor[] inputs, Tensor output, Tensor outputGrad, Tensor?[] inputGrads)
    {
        foreach (var dx in inputGrads) dx?.CopyFrom(outputGrad);
    }

    internal static Add FromConfig(LayerConfig c) => new(c.Name);
}
