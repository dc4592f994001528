using Graft.Kernels;
using Graft.Tensors;

namespace Graft.Layers;

/// <summary>Keras's AveragePooling2D; with "same" padding each window averages only the cells inside the image.</summary>
public sealed class AveragePooling2D : Pooling2D
{
    public override BackwardReads BackwardReads => BackwardReads.None;

    public AveragePooling2D(int poolSize = 2, int? strides = null, string padding = "valid", string? name = null)
        : this(new[] { poolSize, poolSize }, strides is null ? null : new[] { strides.Value, strides.Value }, padding, name) { }

    public AveragePooling2D(int[] poolSize, int[]? strides, string padding = "valid", string? name = null) : base(poolSize, strides, padding, name) { }

    public override string ClassName => "AveragePooling2D";

    public override void Forward(Tensor[] inputs, Tensor output, bool training) =>
        Pooling.AverageForward(inputs[0].Memory, output.Memory, inputs[0].Shape[0], Geometry);

    public override void Backward(Tensor[] inputs, Tensor output, Tensor outputGrad, Tensor?[] inputGrads)
    {
        if (inputGrads[0] is { } dx)
            Pooling.AverageBackward(outputGrad.Memory, dx.Memory, inputs[0].Shape[0], Geometry);
    }

    internal static AveragePooling2D FromConfig(LayerConfig c)
    {
        var (pool, strides, padding) = ReadConfig(c);
        return new AveragePooling2D(pool, strides, padding, c.Name);
    }
}
