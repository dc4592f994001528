using Graft.Kernels;
using Graft.Tensors;

namespace Graft.Layers;

/// <summary>Keras's MaxPooling2D; backward routes each gradient to the first maximum of its window.</summary>
public sealed class MaxPooling2D : Pooling2D
{
    public override BackwardReads BackwardReads => BackwardReads.Inputs;

    public MaxPooling2D(int poolSize = 2, int? strides = null, string padding = "valid", string? name = null)
        : this(new[] { poolSize, poolSize }, strides is null ? null : new[] { strides.Value, strides.Value }, padding, name) { }

    public MaxPooling2D(int[] poolSize, int[]? strides, string padding = "valid", string? name = null) : base(poolSize, strides, padding, name) { }

    public override string ClassName => "MaxPooling2D";

    public override void Forward(Tensor[] inputs, Tensor output, bool training) =>
        Pooling.MaxForward(inputs[0].Memory, output.Memory, inputs[0].Shape[0], Geometry);

    public override void Backward(Tensor[] inputs, Tensor output, Tensor outputGrad, Tensor?[] inputGrads)
    {
        if (inputGrads[0] is { } dx)
            Pooling.MaxBackward(inputs[0].Memory, outputGrad.Memory, dx.Memory, inputs[0].Shape[0], Geometry);
    }

    internal static MaxPooling2D FromConfig(LayerConfig c)
    {
        var (pool, strides, padding) = ReadConfig(c);
        return new MaxPooling2D(pool, strides, padding, c.Name);
    }
}
