using Graft.Graph;
using Graft.Kernels;
using Graft.Layers;
using Graft.Losses;
using Graft.Optimizers;
using Graft.Tensors;
using Graft.Tests.Support;
using Graft.Transfer;

namespace Graft.Tests.Graph;

/// <summary>
/// The training memory plan (<see cref="StepMemoryPlan"/>): the planned step recycles values and gradients, yet
/// trains to the same bits as keeping everything (<see cref="Model.RetainIntermediates"/>), with recycled buffers
/// poisoned so that a layer reading a value it did not declare in <see cref="Layer.BackwardReads"/> fails.
/// </summary>
public class TrainingMemoryTests
{
    /// <summary>
    /// Frozen stem (conv, BN in inference mode), then trainable: BN in training mode, ReLU6 whose output feeds
    /// two branches, padding + depthwise, BN and Activation(relu6), Add, a sigmoid gate through Multiply, Concatenate, max pooling, tanh,
    /// global pooling, Dense with ReLU, Dropout, a logits Dense. Every layer is built with the same seed.
    /// </summary>
    private static (Model Model, Layer[] Stem) Build()
    {
        var rng = new Random(7);
        var input = LayerCalls.Input(8, 8, 3);
        var c1 = new Conv2D(8, 3, padding: Padding2D.Same, name: "c1");
        var b1 = new BatchNormalization(name: "b1");
        var x = new ReLU(6f, name: "r1").Call(b1.Call(rng, c1.Call(rng, input)));
        x = new Conv2D(8, 1, useBias: false, name: "c2").Call(rng, x);
        x = new BatchNormalization(momentum: 0.9f, name: "b2").Call(rng, x);
        var r2 = new ReLU(6f, name: "r2").Call(x);
        var p = new ZeroPadding2D(1, name: "pad").Call(r2);
        var dw = new DepthwiseConv2D(3, name: "dw").Call(rng, p);
        var r3 = new Activation(ActivationKind.Relu6, "r3").Call(new BatchNormalization(momentum: 0.9f, name: "b3").Call(rng, dw));
        var br = new Conv2D(8, 1, name: "branch").Call(rng, r2);
        var add = new Add(name: "add").Call(r3, br);
        var gate = new Activation(ActivationKind.Sigmoid, "gate").Call(br);
        var mul = new Multiply(name: "mul").Call(add, gate);
        var cat = new Concatenate(name: "cat").Call(mul, r2);
        var mp = new MaxPooling2D(2, name: "mp").Call(cat);
        var t = new Activation(ActivationKind.Tanh, "tanh").Call(mp);
        var gap = new GlobalAveragePooling2D(name: "gap").Call(t);
        var d1 = new Dense(16, ActivationKind.Relu, name: "d1").Call(rng, gap);
        var drop = new Dropout(0.25f, seed: 3, name: "drop").Call(d1);
        var logits = new Dense(4, name: "logits").Call(rng, drop);
        var model = new Model(input, logits, "branchy");
        var stem = new Layer[] { c1, b1 };
        foreach (var l in stem) l.Trainable = false;
        return (model, stem);
    }

    private static float[][] Train(Model model, int steps, Action<Model, int>? beforeStep = null)
    {
        var x = GradientCheck.Random(new Shape(4, 8, 8, 3), new Random(11), 2f);
        int[] labels = [0, 3, 1, 2];
        var sgd = new Sgd(model.CreateArena(), learningRate: 0.05f, momentum: 0.9f);
        var loss = new SoftmaxCrossEntropy();
        var grad = new Tensor(new Shape(4, 4));
        for (int s = 0; s < steps; s++)
        {
            beforeStep?.Invoke(model, s);
            sgd.ZeroGrad();
            var y = model.Forward(x, training: true);
            loss.Compute(y, labels, grad);
            model.Backward(grad);
            sgd.Step();
        }
        return model.Parameters.Select(p => p.Value.ToArray()).ToArray();
    }

    private static void AssertSameBits(float[][] expected, float[][] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].Length, actual[i].Length);
            for (int j = 0; j < expected[i].Length; j++)
                Assert.True(BitConverter.SingleToInt32Bits(expected[i][j]) == BitConverter.SingleToInt32Bits(actual[i][j]),
                    $"parameter {i}, value {j}: {expected[i][j]:R} kept-everything vs {actual[i][j]:R} planned");
        }
    }

    [Fact]
    public void PlannedStepTrainsToTheSameBitsAsKeepingEverything()
    {
        var (kept, _) = Build();
        kept.RetainIntermediates = true;
        var (planned, _) = Build();
        planned.PoisonRecycledBuffers = true;
        var expected = Train(kept, 5);
        AssertSameBits(expected, Train(planned, 5));
        Assert.All(expected, w => Assert.All(w, v => Assert.True(float.IsFinite(v))));
    }

    [Fact]
    public void FreezingAndUnfreezingBetweenStepsReplansWithTheSameBits()
    {
        // Trainability changes the plan (what backward visits and reads); it must be re-planned, not reused.
        void Schedule(Model m, int step)
        {
            if (step == 2) m.Unfreeze();
            if (step == 4) m.FreezeAll();
            if (step == 5) { m.Unfreeze(); m.GetLayer("c1").Trainable = false; }
        }
        var (kept, _) = Build();
        kept.RetainIntermediates = true;
        var (planned, _) = Build();
        planned.PoisonRecycledBuffers = true;
        AssertSameBits(Train(kept, 7, Schedule), Train(planned, 7, Schedule));
    }

    [Fact]
    public void PlannedStepHoldsLessThanKeepingEverything()
    {
        var (kept, _) = Build();
        kept.RetainIntermediates = true;
        var (planned, _) = Build();
        Train(kept, 2);
        Train(planned, 2);
        Assert.True(planned.BufferFloats * 2 < kept.BufferFloats, $"planned {planned.BufferFloats} floats vs kept {kept.BufferFloats}");
    }

    [Fact]
    public void TensorsAliveAtTheSameTimeNeverShareFloatsAndPackNearTheLivePeak()
    {
        var (model, _) = Build();
        foreach (bool training in new[] { true, false })
        {
            model.Forward(GradientCheck.Random(new Shape(4, 8, 8, 3), new Random(1), 1f), training);
            var plan = model.LatestPlan!;
            var layout = plan.Layout;
            for (int a = 0; a < layout.Length; a++)
            {
                Assert.True(layout[a].At.Offset + layout[a].Size <= plan.Capacity[layout[a].At.Slot]);
                for (int b = a + 1; b < layout.Length; b++)
                {
                    var (x, y) = (layout[a], layout[b]);
                    bool together = x.Def <= y.Last && y.Def <= x.Last;
                    bool shareFloats = x.At.Slot == y.At.Slot && x.At.Offset < y.At.Offset + y.Size && y.At.Offset < x.At.Offset + x.Size;
                    Assert.False(together && shareFloats, $"tensors {a} and {b} overlap");
                }
            }
            Assert.True(plan.Capacity.Sum() <= plan.LiveAt.Max() * 1.15, $"{plan.Capacity.Sum()} floats per sample of slots for a peak of {plan.LiveAt.Max()}");
        }
    }

    [Fact]
    public void SteadyStateStepsAllocateNoBuffers()
    {
        var (model, _) = Build();
        Train(model, 2);
        var buffers = model.BufferFloats;
        // Inference in between shares the buffers and settles at once.
        var x = GradientCheck.Random(new Shape(4, 8, 8, 3), new Random(1), 1f);
        model.Forward(x);
        Train(model, 2);
        model.Forward(x);
        var settled = model.BufferFloats;
        Train(model, 3);
        model.Forward(x);
        Assert.Equal(settled, model.BufferFloats);
        Assert.True(settled >= buffers);
    }

    [Fact]
    public void RecycledIntermediatesReadAsNullAndKeptOnesStayReadable()
    {
        var (model, _) = Build();
        var x = GradientCheck.Random(new Shape(4, 8, 8, 3), new Random(1), 1f);
        var y = model.Forward(x, training: true);
        Assert.Same(y, model.ActivationOf("logits"));
        model.Backward(new Tensor(y.Shape));
        // The model output stays; some value no backward reads (max pooling's, which tanh does not need) was recycled.
        Assert.Same(y, model.ActivationOf("logits"));
        Assert.Contains(model.Nodes, n => model.ActivationOf(n.Name) is null);
        Assert.Throws<InvalidOperationException>(() => model.Backward(new Tensor(y.Shape)));

        // Inference keeps every output, as importer tests compare them.
        model.Forward(x);
        foreach (var n in model.Nodes) Assert.NotNull(model.ActivationOf(n.Name));
        Assert.Null(model.GradientOf("logits")); // no backward for this forward yet

        model.RetainIntermediates = true;
        model.Forward(x, training: true);
        model.Backward(new Tensor(y.Shape));
        foreach (var n in model.Nodes) Assert.NotNull(model.ActivationOf(n.Name));
        Assert.NotNull(model.GradientOf("c2"));
        Assert.Null(model.GradientOf("r1")); // below the trainable layers
        model.Backward(new Tensor(y.Shape)); // values kept: a second backward is allowed
    }

    [Fact]
    public void PredictKeepsOnlyTheOutputsAndGivesTheBitsOfForward()
    {
        var (model, _) = Build();
        var x = GradientCheck.Random(new Shape(6, 8, 8, 3), new Random(5), 1f);
        var expected = model.Forward(x).ToArray();
        var kept = model.BufferFloats;
        var (lean, _) = Build();
        var got = lean.Predict(x, batchSize: 4);
        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), got.ToArray().Select(BitConverter.SingleToInt32Bits));
        Assert.True(lean.BufferFloats < kept, $"{lean.BufferFloats} floats for Predict vs {kept} for a forward that keeps everything");
        Assert.NotNull(lean.ActivationOf("logits"));
        Assert.Throws<InvalidOperationException>(() => lean.Backward(new Tensor(new Shape(2, 4))));

        // Training after Predict (and Predict after training) reuse the same buffers.
        Train(lean, 2);
        var settled = lean.BufferFloats;
        lean.Predict(x, batchSize: 4);
        Train(lean, 1);
        Assert.Equal(settled, lean.BufferFloats);
    }

    [Fact]
    public void ChangingTrainabilityBetweenForwardAndBackwardIsRefused()
    {
        // The forward kept only what the frozen stem's backward needed; unfreezing it now would read recycled values.
        var (model, stem) = Build();
        var y = model.Forward(GradientCheck.Random(new Shape(4, 8, 8, 3), new Random(1), 1f), training: true);
        stem[0].Trainable = true;
        var e = Assert.Throws<InvalidOperationException>(() => model.Backward(new Tensor(y.Shape)));
        Assert.Contains("Forward again", e.Message);
        model.Forward(GradientCheck.Random(new Shape(4, 8, 8, 3), new Random(1), 1f), training: true);
        model.Backward(new Tensor(y.Shape));
    }

    [Fact]
    public void EveryLayerDeclaresWhatItsBackwardReads()
    {
        // Layers whose backward needs only shapes say so; a layer that does not override keeps both (safe default).
        Assert.Equal(BackwardReads.None, new Add().BackwardReads);
        Assert.Equal(BackwardReads.None, new ZeroPadding2D().BackwardReads);
        Assert.Equal(BackwardReads.None, new Dropout(0.5f).BackwardReads);
        Assert.Equal(BackwardReads.Inputs, new BatchNormalization().BackwardReads);
        Assert.Equal(BackwardReads.Output, new Activation(ActivationKind.Sigmoid).BackwardReads);
        Assert.Equal(BackwardReads.InputsAndOutput, new OpaqueLayer().BackwardReads);
    }

    private sealed class OpaqueLayer : Layer
    {
        public OpaqueLayer() : base(null) { }
        public override string ClassName => "Opaque";
        protected override Shape OnBuild(IReadOnlyList<Shape> inputShapes, Random rng) => inputShapes[0];
        public override void Forward(Tensor[] inputs, Tensor output, bool training) => output.CopyFrom(inputs[0]);
        public override void Backward(Tensor[] inputs, Tensor output, Tensor outputGrad, Tensor?[] inputGrads) => inputGrads[0]?.CopyFrom(outputGrad);
    }
}
