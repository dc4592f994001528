using Graft.Kernels;
using Graft.Tensors;

namespace Graft.Layers;

/// <summary>Keras's GlobalMaxPooling2D; backward gives each channel's gradient to its first maximal pixel.</summary>
public sealed class GlobalMaxPooling2D : GlobalPooling2D
{
    public override BackwardReads BackwardReads => BackwardReads.InputsAndOutput;

    public GlobalMaxPooling2D(bool keepDims = false, string? name = null) : base(keepDims, name) { }

    public override string ClassName => "GlobalMaxPooling2D";

    public override void Forward(Tensor[] inputs, Tensor output, bool training) =>
        PoolingGlobal.MaxForward(inputs[0].Memory, output.Memory, inputs[0].Shape[0], Positions, Channels);

    public override void Backward(Tensor[] inputs, Tensor output, Tensor outputGrad, Tensor?[] inputGrads)
    {
        if (inputGrads[0] is { } dx)
            PoolingGlobal.MaxBackward(inputs[0].Memory, output.Memory, outputGrad.Memory, dx.Memory, inputs[0].Shape[0], Positions, Channels);
    }

    internal static GlobalMaxPooling2D FromConfig(LayerConfig c) => new(ReadKeepDims(c), c.Name);
}
