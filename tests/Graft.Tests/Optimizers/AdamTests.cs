using Graft.Optimizers;
using static Graft.Tests.Optimizers.OptimizerTestModels;

namespace Graft.Tests.Optimizers;

public class AdamTests
{
    [Fact]
    public void ConstantGradientMovesByTheLearningRateEachStep()
    {
        // With g constant, bias correction makes m̂ = g and v̂ = g² exactly, so every step is
        // η·g/(|g| + ε) ≈ η·sign(g): w = 1 − 0.1k for g = 0.5, and −2 + 0.1k for g = −3.
        var (d, arena) = TwoWeights(new[] { 1f, -2f });
        var adam = new Adam(arena, learningRate: 0.1f);
        for (int k = 1; k <= 3; k++)
        {
            SetGrads(arena, 0.5f, -3f, 0f);
            adam.Step();
            Assert.Equal(1 - 0.1f * k, d.Kernel.Value[0], 5);
            Assert.Equal(-2 + 0.1f * k, d.Kernel.Value[1], 5);
        }
    }

    [Fact]
    public void ChangingGradientByHand()
    {
        // g = 1 then 0, η = 0.1, β1 = 0.9, β2 = 0.999, ε = 1e-7:
        // step 1: m = 0.1, v = 0.001; m̂ = 1, v̂ = 1 → w = 1 − 0.1 = 0.9
        // step 2: m = 0.09, v = 0.000999; m̂ = 0.09/0.19, v̂ = 0.000999/0.001999
        //         w = 0.9 − 0.1·0.473684/(0.706930 + ε) = 0.832994
        var (d, arena) = TwoWeights(new[] { 1f, 0f });
        var adam = new Adam(arena, learningRate: 0.1f);
        SetGrads(arena, 1f, 0f, 0f);
        adam.Step();
        Assert.Equal(0.9f, d.Kernel.Value[0], 6);
        SetGrads(arena, 0f, 0f, 0f);
        adam.Step();
        Assert.Equal(0.832994f, d.Kernel.Value[0], 5);
    }

    [Fact]
    public void AdamWDecaysWeightsBeforeTheAdamStep()
    {
        // λ = 0.5, η = 0.1: w ← 0.95·w − 0.1 each step (constant gradient, as above):
        // 0.85, 0.7075, 0.572125. Adam with the same λ would add it to the gradient instead.
        var (d, arena) = TwoWeights(new[] { 1f, 0f });
        var adamw = new AdamW(arena, learningRate: 0.1f, weightDecay: 0.5f);
        foreach (float expected in new[] { 0.85f, 0.7075f, 0.572125f })
        {
            SetGrads(arena, 0.5f, 0f, 0f);
            adamw.Step();
            Assert.Equal(expected, d.Kernel.Value[0], 5);
        }
    }
}
