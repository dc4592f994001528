using Graft.Layers;
using Graft.Tensors;

namespace Graft.Tests.Optimizers;

/// <summary>Small parameter sets whose values and gradients the tests set by hand.</summary>
internal static class OptimizerTestModels
{
    /// <summary>A Dense(1) on 2 inputs: kernel (2, 1) and bias (1), packed in an arena, values and gradients given.</summary>
    public static (Dense Layer, ParameterArena Arena) TwoWeights(float[] kernel, float bias = 0f, string name = "d")
    {
        var d = new Dense(1, name: name);
        d.Build(new[] { new Shape(2) });
        var arena = new ParameterArena(d.Parameters);
        kernel.CopyTo(d.Kernel.Value.Span);
        d.Bias!.Value[0] = bias;
        return (d, arena);
    }

    public static void SetGrads(ParameterArena arena, params float[] grads) => grads.CopyTo(arena.Grads, 0);
}
