using Graft.Optimizers;
using static Graft.Tests.Optimizers.OptimizerTestModels;

namespace Graft.Tests.Optimizers;

public class SgdTests
{
    [Fact]
    public void NesterovWithWeightDecayByHand()
    {
        // w = [1, −2], g = [0.5, 0.25] each step, η = 0.1, μ = 0.9, λ = 0.1 (PyTorch's rule):
        // step 1: g' = g + λw = [0.6, 0.05]; b = g'; d = g' + μb = [1.14, 0.095]; w = [0.886, −2.0095]
        // step 2: g' = [0.5886, 0.04905]; b = μ·[0.6, 0.05] + g' = [1.1286, 0.09405];
        //         d = g' + μb = [1.60434, 0.133695]; w = [0.725566, −2.0228695]
        var (d, arena) = TwoWeights(new[] { 1f, -2f });
        d.Trainable = true;
        var sgd = new Sgd(arena, learningRate: 0.1f, momentum: 0.9f, nesterov: true, weightDecay: 0.1f);
        SetGrads(arena, 0.5f, 0.25f, 0f);
        sgd.Step();
        Assert.Equal(0.886f, d.Kernel.Value[0], 6);
        Assert.Equal(-2.0095f, d.Kernel.Value[1], 6);
        SetGrads(arena, 0.5f, 0.25f, 0f);
        sgd.Step();
        Assert.Equal(0.725566f, d.Kernel.Value[0], 5);
        Assert.Equal(-2.0228695f, d.Kernel.Value[1], 5);
        Assert.Equal(2, sgd.Iterations);
    }

    [Fact]
    public void HeavyBallMomentumByHand()
    {
        // w = 1, g = 1, η = 0.1, μ = 0.5: b = 1, 1.5, 1.75 → w = 0.9, 0.75, 0.575.
        var (d, arena) = TwoWeights(new[] { 1f, 0f });
        var sgd = new Sgd(arena, learningRate: 0.1f, momentum: 0.5f);
        foreach (float expected in new[] { 0.9f, 0.75f, 0.575f })
        {
            SetGrads(arena, 1f, 0f, 0f);
            sgd.Step();
            Assert.Equal(expected, d.Kernel.Value[0], 6);
        }
    }

    [Fact]
    public void PlainSgdIsOneStepAlongTheGradient()
    {
        var (d, arena) = TwoWeights(new[] { 1f, 2f }, bias: 3f);
        var sgd = new Sgd(arena, learningRate: 0.5f);
        SetGrads(arena, 1f, -2f, 4f);
        sgd.Step();
        Assert.Equal(new[] { 0.5f, 3f, 1f }, arena.Values);
        Assert.Empty(sgd.SlotNames);
    }

    [Fact]
    public void InvalidArgumentsSayExpectedAndReceived()
    {
        var (_, arena) = TwoWeights(new[] { 1f, 2f });
        var e = Assert.Throws<ArgumentException>(() => new Sgd(arena, momentum: 1.5f));
        Assert.Contains("Received: 1.5", e.Message);
        Assert.Throws<ArgumentException>(() => new Sgd(arena, nesterov: true));
        Assert.Throws<ArgumentException>(() => new Sgd(arena, learningRate: -1f));
    }
}
