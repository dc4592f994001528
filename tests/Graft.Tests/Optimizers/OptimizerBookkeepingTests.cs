using Graft.Graph;
using Graft.Kernels;
using Graft.Layers;
using Graft.Losses;
using Graft.Optimizers;
using Graft.Optimizers.Schedules;
using Graft.Tensors;
using static Graft.Tests.Optimizers.OptimizerTestModels;

namespace Graft.Tests.Optimizers;

/// <summary>What the <see cref="Optimizer"/> base does for every rule: freezing, clipping, groups, penalties, state.</summary>
public class OptimizerBookkeepingTests
{
    private static (Model Model, ParameterArena Arena, Tensor X, int[] Labels) TwoLayerProblem()
    {
        var model = Model.Sequential(new Shape(3), new Dense(4, ActivationKind.Tanh, name: "backbone"), new Dense(2, name: "head"));
        var arena = model.CreateArena();
        var x = Tensor.FromArray(new float[] { 1, 0, -1, 0.5f, 2, -0.5f, -1, 1, 1, 0, 0, 1 }, 4, 3);
        return (model, arena, x, new[] { 0, 1, 1, 0 });
    }

    private static float TrainStep(Model model, Optimizer opt, Tensor x, int[] labels)
    {
        opt.ZeroGrad();
        var y = model.Forward(x, training: true);
        var grad = new Tensor(y.Shape);
        float loss = new SoftmaxCrossEntropy().Compute(y, labels, grad);
        model.Backward(grad);
        return loss;
    }

    [Theory]
    [InlineData("sgd")]
    [InlineData("adam")]
    [InlineData("adamw")]
    public void FrozenWeightsStayBitIdentical(string kind)
    {
        var (model, arena, x, labels) = TwoLayerProblem();
        var backbone = model.GetLayer("backbone");
        backbone.Trainable = false;
        foreach (var p in backbone.Parameters) p.L2 = 0.1f; // a penalty must not move frozen weights either
        Optimizer opt = kind switch
        {
            "sgd" => new Sgd(arena, 0.1f, momentum: 0.9f, weightDecay: 0.1f),
            "adam" => new Adam(arena, 0.1f, weightDecay: 0.1f),
            _ => new AdamW(arena, 0.1f, weightDecay: 0.1f),
        };
        opt.GlobalClipNorm = 0.5f;
        var frozenBefore = backbone.Parameters.Select(p => p.Value.ToArray()).ToArray();
        var headBefore = model.GetLayer("head").Parameters.Select(p => p.Value.ToArray()).ToArray();
        for (int s = 0; s < 3; s++)
        {
            TrainStep(model, opt, x, labels);
            // Even a stray gradient in a frozen weight must be ignored.
            backbone.Parameters[0].Grad.Span.Fill(1f);
            opt.Step();
        }
        var frozenAfter = backbone.Parameters.Select(p => p.Value.ToArray()).ToArray();
        for (int i = 0; i < frozenBefore.Length; i++)
            Assert.Equal(frozenBefore[i].Select(BitConverter.SingleToInt32Bits), frozenAfter[i].Select(BitConverter.SingleToInt32Bits));
        Assert.NotEqual(headBefore[0], model.GetLayer("head").Parameters[0].Value.ToArray());

        // Unfreezing later needs no new optimizer.
        backbone.Trainable = true;
        TrainStep(model, opt, x, labels);
        opt.Step();
        Assert.NotEqual(frozenBefore[0], backbone.Parameters[0].Value.ToArray());
    }

    [Fact]
    public void GlobalNormClippingScalesAllTrainableGradientsTogether()
    {
        // Gradients [3, 4 | 0]: ‖g‖ = 5; clipped to 1 they become [0.6, 0.8 | 0], and SGD with η = 1 moves by that.
        var (d, arena) = TwoWeights(new[] { 0f, 0f });
        var sgd = new Sgd(arena, learningRate: 1f) { GlobalClipNorm = 1f };
        SetGrads(arena, 3f, 4f, 0f);
        Assert.Equal(5f, sgd.GradientGlobalNorm(), 6);
        sgd.Step();
        Assert.Equal(-0.6f, d.Kernel.Value[0], 6);
        Assert.Equal(-0.8f, d.Kernel.Value[1], 6);
        // Within the bound nothing is scaled.
        SetGrads(arena, 0.3f, 0.4f, 0f);
        sgd.Step();
        Assert.Equal(-0.9f, d.Kernel.Value[0], 6);
    }

    [Fact]
    public void ClippingNormIgnoresFrozenGradients()
    {
        var (a, arenaA) = TwoWeights(new[] { 0f, 0f }, name: "a");
        var (b, _) = TwoWeights(new[] { 0f, 0f }, name: "b");
        var arena = new ParameterArena(a.Parameters.Concat(b.Parameters));
        var sgd = new Sgd(arena, learningRate: 1f);
        b.Trainable = false;
        SetGrads(arena, 3f, 4f, 0f, 100f, 100f, 100f);
        Assert.Equal(5f, sgd.GradientGlobalNorm(), 6);
        GC.KeepAlive(arenaA);
    }

    [Fact]
    public void GroupsScaleTheLearningRateAndOverrideWeightDecay()
    {
        // SGD, η = 1: the backbone group at ×0.25, the head's biases without decay (λ = 0.5 elsewhere).
        var (a, _) = TwoWeights(new[] { 1f, 1f }, bias: 1f, name: "backbone");
        var (b, _) = TwoWeights(new[] { 1f, 1f }, bias: 1f, name: "head");
        var arena = new ParameterArena(a.Parameters.Concat(b.Parameters));
        var sgd = new Sgd(arena, learningRate: 1f, weightDecay: 0.5f, groups: new[]
        {
            ParameterGroup.ForLayers("backbone", new[] { "backbone" }, learningRateMultiplier: 0.25f),
            new ParameterGroup("no_decay", p => p.Name == "bias", weightDecay: 0f),
        });
        SetGrads(arena, 1f, 1f, 1f, 1f, 1f, 1f);
        sgd.Step();
        // backbone: w − 0.25·(1 + 0.5·1) = 0.625 (its bias matched the first group, so it decays too)
        Assert.Equal(new[] { 0.625f, 0.625f, 0.625f }, arena.Values[..3]);
        // head kernel: 1 − (1 + 0.5) = −0.5; head bias: 1 − 1 = 0
        Assert.Equal(new[] { -0.5f, -0.5f, 0f }, arena.Values[3..]);
    }

    [Fact]
    public void ParameterPenaltiesAddTheirGradients()
    {
        // L2 = 0.5: gradient 2·0.5·w = w, so SGD η = 0.1 scales w by 0.9. L1 = 0.2: moves by 0.1·0.2 toward 0.
        var (d, arena) = TwoWeights(new[] { 2f, -1f }, bias: 1f);
        d.Kernel.L2 = 0.5f;
        d.Bias!.L1 = 0.2f;
        var sgd = new Sgd(arena, learningRate: 0.1f);
        SetGrads(arena, 0f, 0f, 0f);
        sgd.Step();
        Assert.Equal(1.8f, arena.Values[0], 6);
        Assert.Equal(-0.9f, arena.Values[1], 6);
        Assert.Equal(0.98f, arena.Values[2], 6);
    }

    [Fact]
    public void ScheduleSetsTheRateOfEachStepFromStepZero()
    {
        var (d, arena) = TwoWeights(new[] { 0f, 0f });
        var sgd = new Sgd(arena) { Schedule = new StepDecay(1f, stepSize: 2, gamma: 0.5f) };
        for (int s = 0; s < 5; s++)
        {
            SetGrads(arena, -1f, 0f, 0f);
            sgd.Step();
        }
        // Rates 1, 1, 0.5, 0.5, 0.25.
        Assert.Equal(3.25f, d.Kernel.Value[0], 6);
        Assert.Equal(0.25f, sgd.LearningRate);
        // Without a schedule the settable rate holds (ReduceLROnPlateau's way).
        sgd.Schedule = null;
        sgd.LearningRate = 0.125f;
        SetGrads(arena, -1f, 0f, 0f);
        sgd.Step();
        Assert.Equal(3.375f, d.Kernel.Value[0], 6);
    }

    [Theory]
    [InlineData("sgd")]
    [InlineData("adam")]
    public void StateRoundTripResumesTrainingExactly(string kind)
    {
        Optimizer Make(ParameterArena a) => kind == "sgd" ? new Sgd(a, 0.1f, momentum: 0.9f, nesterov: true) : new Adam(a, 0.05f);
        var (model, arena, x, labels) = TwoLayerProblem();
        var opt = Make(arena);
        for (int s = 0; s < 3; s++) { TrainStep(model, opt, x, labels); opt.Step(); }
        var weights = arena.Values.ToArray();
        var state = opt.GetState();
        opt.LearningRate = 0.5f * opt.LearningRate;
        var saved = opt.GetState();
        for (int s = 0; s < 2; s++) { TrainStep(model, opt, x, labels); opt.Step(); }
        var continued = arena.Values.ToArray();

        var (model2, arena2, _, _) = TwoLayerProblem();
        weights.CopyTo(arena2.Values, 0);
        var resumed = Make(arena2);
        resumed.LoadState(saved);
        Assert.Equal(3, resumed.Iterations);
        Assert.Equal(opt.LearningRate, resumed.LearningRate);
        for (int s = 0; s < 2; s++) { TrainStep(model2, resumed, x, labels); resumed.Step(); }
        Assert.Equal(continued, arena2.Values);
        Assert.Contains("head/kernel/" + opt.SlotNames[0], state.Keys);
    }

    [Fact]
    public void StateKeepsLargeStepCountsExactly()
    {
        var (_, arena) = TwoWeights(new[] { 0f, 0f });
        var adam = new Adam(arena);
        var state = adam.GetState().ToDictionary(kv => kv.Key, kv => kv.Value);
        long big = (1L << 35) + 12345;
        state["iterations"] = new[] { (float)(big & 0xFFFFFF), (float)(big >> 24) };
        adam.LoadState(state);
        Assert.Equal(big, adam.Iterations);
        Assert.Equal(state["iterations"], adam.GetState()["iterations"]);
    }

    [Fact]
    public void MismatchedStateNamesWhatIsMissing()
    {
        var (_, arena) = TwoWeights(new[] { 0f, 0f }, name: "a");
        var state = new Adam(arena).GetState().ToDictionary(kv => kv.Key, kv => kv.Value);
        state.Remove("a/kernel/velocity");
        var e = Assert.Throws<ArgumentException>(() => new Adam(arena).LoadState(state));
        Assert.Contains("a/kernel/velocity", e.Message);
        Assert.Contains("Hint", e.Message);
        state = new Adam(arena).GetState().ToDictionary(kv => kv.Key, kv => kv.Value);
        state["a/kernel/velocity"] = new float[3];
        e = Assert.Throws<ArgumentException>(() => new Adam(arena).LoadState(state));
        Assert.Contains("Expected 2", e.Message);
    }

    [Fact]
    public void StepDoesNotAllocate()
    {
        var (model, arena, x, labels) = TwoLayerProblem();
        model.GetLayer("head").Parameters[0].L1 = 0.01f;
        var adam = new AdamW(arena, groups: new[] { new ParameterGroup("bias", p => p.Name == "bias", 0.5f, 0f) })
        {
            GlobalClipNorm = 0.1f,
            Schedule = new CosineDecay(0f, 100, warmupSteps: 5, warmupTarget: 0.01f),
        };
        TrainStep(model, adam, x, labels);
        for (int i = 0; i < 3; i++) adam.Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        adam.Step();
        adam.ZeroGrad();
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }
}
