using Graft.Kernels;
using Graft.Tensors;

namespace Graft.Layers;

/// <summary>Keras's GlobalAveragePooling2D: the mean of each channel over all pixels.</summary>
public sealed class GlobalAveragePooling2D : GlobalPooling2D
{
    public override BackwardReads BackwardReads => BackwardReads.None;

    public GlobalAveragePooling2D(bool keepDims = false, string? name = null) : base(keepDims, name) { }

    public override string ClassName => "GlobalAveragePooling2D";

    public override void Forward(Tensor[] inputs, Tensor output, bool training) =>
        PoolingGlobal.AverageForward(inputs[0].Memory, output.Memory, inputs[0].Shape[0], Positions, Channels);

    public override void Backward(Tensor[] inputs, Tensor output, Tensor outputGrad, Tensor?[] inputGrads)
    {
        if (inputGrads[0] is { } dx)
            PoolingGlobal.AverageBackward(outputGrad.Memory, dx.Memory, inputs[0].Shape[0], Positions, Channels);
    }

    internal static GlobalAveragePooling2D FromConfig(LayerConfig c) => new(ReadKeepDims(c), c.Name);
}
