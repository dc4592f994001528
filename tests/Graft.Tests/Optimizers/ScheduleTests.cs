using System.Text.Json;
using Graft.Optimizers.Schedules;
using Graft.Tests.Support;

namespace Graft.Tests.Optimizers;

public class ScheduleTests
{
    [Fact]
    public void ConstantAndStepDecay()
    {
        Assert.Equal(0.3f, new ConstantSchedule(0.3f).At(12345));
        var s = new StepDecay(0.1f, stepSize: 10, gamma: 0.5f);
        Assert.Equal(0.1f, s.At(0), 7);
        Assert.Equal(0.1f, s.At(9), 7);
        Assert.Equal(0.05f, s.At(10), 7);
        Assert.Equal(0.025f, s.At(25), 7);
    }

    [Fact]
    public void ExponentialDecayIsSmoothOrStaircase()
    {
        var s = new ExponentialDecay(1f, decaySteps: 10, decayRate: 0.5f);
        Assert.Equal(1f, s.At(0), 7);
        Assert.Equal(MathF.Sqrt(0.5f), s.At(5), 6);
        Assert.Equal(0.25f, s.At(20), 7);
        var stairs = new ExponentialDecay(1f, 10, 0.5f, staircase: true);
        Assert.Equal(1f, stairs.At(9), 7);
        Assert.Equal(0.5f, stairs.At(10), 7);
    }

    [Fact]
    public void CosineDecayWithoutWarmup()
    {
        var s = new CosineDecay(1f, decaySteps: 100);
        Assert.Equal(1f, s.At(0), 6);
        Assert.Equal(0.5f, s.At(50), 6);
        Assert.Equal(0f, s.At(100), 6);
        Assert.Equal(0f, s.At(500), 6);
        Assert.Equal(0.1f, new CosineDecay(1f, 100, alpha: 0.1f).At(100), 6);
        Assert.Equal(0.55f, new CosineDecay(1f, 100, alpha: 0.1f).At(50), 6);
    }

    [Fact]
    public void CosineDecayWithLinearWarmup()
    {
        // Keras: linear from the initial rate to the target over the warmup, then cosine from the target.
        var s = new CosineDecay(0f, decaySteps: 100, warmupSteps: 10, warmupTarget: 1f);
        Assert.Equal(0f, s.At(0), 6);
        Assert.Equal(0.5f, s.At(5), 6);
        Assert.Equal(1f, s.At(10), 6);
        Assert.Equal(0.5f, s.At(60), 6);
        Assert.Equal(0f, s.At(110), 6);
        Assert.Equal(0f, s.At(1000), 6);
    }

    [Fact]
    public void OneCycleMatchesTorchAtEveryStep()
    {
        var root = JsonDocument.Parse(File.ReadAllText(SharedData.Fixture("optim", "optimizers.json"))).RootElement;
        foreach (var c in root.GetProperty("one_cycle").EnumerateArray())
        {
            var s = new OneCycle(c.GetProperty("max_lr").GetSingle(), c.GetProperty("total_steps").GetInt64(),
                c.GetProperty("pct_start").GetSingle(), threePhase: c.GetProperty("three_phase").GetBoolean());
            var lrs = c.GetProperty("lrs").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            for (int step = 0; step < lrs.Length; step++)
                Assert.True(Math.Abs(s.At(step) - lrs[step]) < 1e-7 + 1e-5 * lrs[step],
                    $"three_phase={s.ThreePhase} step {step}: {s.At(step)} vs torch {lrs[step]}");
        }
    }

    [Fact]
    public void OneCycleKeyPoints()
    {
        // max 1, 100 steps, 30% warmup: starts at 1/25, peaks at step 29, ends at 1/25/1e4 at step 99.
        var s = new OneCycle(1f, 100);
        Assert.Equal(0.04f, s.At(0), 6);
        Assert.Equal(1f, s.At(29), 6);
        Assert.Equal(4e-6f, s.At(99), 9);
        Assert.Equal(4e-6f, s.At(150), 9);
    }

    [Fact]
    public void InvalidArgumentsSayReceived()
    {
        var e = Assert.Throws<ArgumentException>(() => new StepDecay(0.1f, stepSize: 0));
        Assert.Contains("Received: 0", e.Message);
        Assert.Throws<ArgumentException>(() => new OneCycle(1f, 100, pctStart: 1f));
        Assert.Throws<ArgumentException>(() => new CosineDecay(-1f, 10));
    }
}
