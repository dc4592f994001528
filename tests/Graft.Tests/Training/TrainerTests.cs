using Graft.Graph;
using Graft.Kernels;
using Graft.Layers;
using Graft.Optimizers;
using Graft.Tensors;
using Graft.Training;
using Graft.Training.Callbacks;

namespace Graft.Tests.Training;

public sealed class TrainerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("graft-fit-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);

    /// <summary>Three Gaussian blobs in 4-D: learnable to 100 % by a small MLP.</summary>
    private static TensorBatchSource Blobs(int n, int seed)
    {
        var rng = new Random(seed);
        var x = new Tensor(new Shape(n, 4));
        var y = new int[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = i % 3;
            for (int j = 0; j < 4; j++) x[i * 4 + j] = (float)(rng.NextDouble() - 0.5) + (j == y[i] ? 2f : 0f);
        }
        return new TensorBatchSource(x, y);
    }

    private static Model Mlp(int seed)
    {
        var rng = new Random(seed);
        var input = LayerCalls.Input(4);
        var h = new Dense(8, ActivationKind.Relu, name: "hidden").Call(rng, input);
        return new Model(input, new Dense(3, ActivationKind.Softmax, name: "probs").Call(rng, h));
    }

    [Fact]
    public void FitLearnsAndReportsValidationFigures()
    {
        var model = Mlp(1);
        var history = Trainer.Fit(model, Blobs(120, 1), Blobs(60, 2), new FitOptions { Epochs = 15, BatchSize = 16, Optimizer = a => new Adam(a, 0.03f) });
        Assert.Equal(15, history.Count);
        Assert.True(history[^1].Logs["val_accuracy"] >= 0.95, $"val_accuracy {history[^1].Logs["val_accuracy"]}");
        Assert.True(history[^1].Logs["loss"] < history[0].Logs["loss"]);
        var eval = Trainer.Evaluate(model, Blobs(60, 2), classNames: new[] { "a", "b", "c" });
        Assert.Equal(history[^1].Logs["val_accuracy"], eval.Accuracy, 12);
        Assert.Equal(60, eval.Confusion.Total);
    }

    [Fact]
    public void FrozenLayersAreLeftUntouched()
    {
        var model = Mlp(1);
        model.GetLayer("hidden").Trainable = false;
        var before = model.GetLayer("hidden").Parameters.Select(p => p.Value.ToArray()).ToArray();
        Trainer.Fit(model, Blobs(60, 1), null, new FitOptions { Epochs = 2 });
        Assert.Equal(before, model.GetLayer("hidden").Parameters.Select(p => p.Value.ToArray()).ToArray());
    }

    [Fact]
    public void ResumingFromACheckpointGivesTheWeightsOfAnUninterruptedRun()
    {
        var options = new FitOptions { Epochs = 5, BatchSize = 16, Seed = 9, Optimizer = a => new Sgd(a, 0.05f, momentum: 0.9f) };
        var straight = Mlp(3);
        Trainer.Fit(straight, Blobs(100, 1), null, options);

        var path = Path.Combine(_dir, "run.ckpt");
        var first = Mlp(3);
        Trainer.Fit(first, Blobs(100, 1), null, options with { Epochs = 2, CheckpointPath = path });
        var resumed = Mlp(77); // different initial weights: everything must come from the checkpoint
        var history = Trainer.Fit(resumed, Blobs(100, 1), null, options with { CheckpointPath = path, Resume = true });
        Assert.Equal(5, history.Count);
        Assert.Equal(straight.Parameters.Select(p => p.Value.ToArray()), resumed.Parameters.Select(p => p.Value.ToArray()));
    }

    [Fact]
    public void EarlyStoppingEndsTheRunWithTheBestWeights()
    {
        var model = Mlp(1);
        var es = new EarlyStopping("val_loss", patience: 1, minDelta: 0.02);
        var history = Trainer.Fit(model, Blobs(60, 1), Blobs(30, 5), new FitOptions { Epochs = 200, Optimizer = a => new Adam(a, 0.05f), Callbacks = new Callback[] { es } });
        Assert.True(history.Count < 200);
        var eval = Trainer.Evaluate(model, Blobs(30, 5));
        Assert.Equal(es.Best!.Value, eval.Loss, 5);
    }

    [Fact]
    public void CancellationStopsTraining()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => Trainer.Fit(Mlp(1), Blobs(30, 1), null, new FitOptions(), cancellationToken: cts.Token));
    }
}

public sealed class TrainerDropoutTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("graft-fitd-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void ResumeIsExactWithDropoutInTheModel()
    {
        static Model Net()
        {
            var rng = new Random(5);
            var input = LayerCalls.Input(4);
            var h = new Dense(16, ActivationKind.Relu, name: "h").Call(rng, input);
            var d = new Dropout(0.5f, name: "drop").Call(rng, h);
            return new Model(input, new Dense(3, ActivationKind.Softmax, name: "out").Call(rng, d));
        }
        var rng = new Random(1);
        var x = new Tensor(new Shape(64, 4));
        for (int i = 0; i < x.Length; i++) x[i] = (float)rng.NextDouble();
        var y = Enumerable.Range(0, 64).Select(i => i % 3).ToArray();
        var data = new TensorBatchSource(x, y);
        var options = new FitOptions { Epochs = 4, BatchSize = 8, Optimizer = a => new Adam(a, 0.01f) };
        var straight = Net();
        Trainer.Fit(straight, data, null, options);
        var path = Path.Combine(_dir, "c.ckpt");
        Trainer.Fit(Net(), data, null, options with { Epochs = 1, CheckpointPath = path });
        var resumed = Net();
        Trainer.Fit(resumed, data, null, options with { CheckpointPath = path, Resume = true });
        Assert.Equal(straight.Parameters.Select(p => p.Value.ToArray()), resumed.Parameters.Select(p => p.Value.ToArray()));
    }
}

public sealed class TrainerEarlyStoppingResumeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("graft-fites-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(6)]
    public void ResumeWithEarlyStoppingEndsWithTheSameWeights(int cutAfter)
    {
        static Model Net()
        {
            var rng = new Random(11);
            var input = LayerCalls.Input(4);
            var h = new Dense(6, ActivationKind.Tanh, name: "h").Call(rng, input);
            return new Model(input, new Dense(3, ActivationKind.Softmax, name: "out").Call(rng, h));
        }
        var rng = new Random(2);
        Tensor Data(int n) { var t = new Tensor(new Shape(n, 4)); for (int i = 0; i < t.Length; i++) t[i] = (float)rng.NextDouble(); return t; }
        var train = new TensorBatchSource(Data(48), Enumerable.Range(0, 48).Select(i => i % 3).ToArray());
        var val = new TensorBatchSource(Data(24), Enumerable.Range(0, 24).Select(i => (i * 7) % 3).ToArray());
        FitOptions Options(string? ckpt, int epochs, bool resume) => new()
        {
            Epochs = epochs, BatchSize = 8, Optimizer = a => new Adam(a, 0.05f), CheckpointPath = ckpt, Resume = resume,
            Callbacks = new Callback[] { new EarlyStopping("val_loss", patience: 2, restoreBestWeights: true) },
        };
        var straight = Net();
        var h1 = Trainer.Fit(straight, train, val, Options(null, 12, false));
        var path = Path.Combine(_dir, $"es{cutAfter}.ckpt");
        Trainer.Fit(Net(), train, val, Options(path, cutAfter, false));
        var resumed = Net();
        var h2 = Trainer.Fit(resumed, train, val, Options(path, 12, true));
        Assert.Equal(h1.Count, h2.Count);
        Assert.Equal(straight.Parameters.Select(p => p.Value.ToArray()), resumed.Parameters.Select(p => p.Value.ToArray()));
    }

    [Fact]
    public void MultiViewSource_ShowsEachSampleOncePerEpoch_AsADeterministicMixOfItsViews()
    {
        const int n = 50;
        var a = new Tensor(new Shape(n, 2));
        var b = new Tensor(new Shape(n, 2));
        for (int i = 0; i < n; i++) { a[i * 2] = i; a[i * 2 + 1] = 0; b[i * 2] = i; b[i * 2 + 1] = 1; }
        var labels = Enumerable.Range(0, n).Select(i => i % 3).ToArray();
        var source = new MultiViewBatchSource(new[] { a, b }, labels);

        List<(int Sample, int View, int Label)> Epoch(int epoch, bool shuffle) =>
            source.GetBatches(8, epoch, shuffle, seed: 7).SelectMany(batch => Enumerable.Range(0, batch.Count)
                .Select(i => ((int)batch.Inputs[i * 2], (int)batch.Inputs[i * 2 + 1], batch.Labels[i])).ToList()).ToList();

        var e0 = Epoch(0, true);
        Assert.Equal(Enumerable.Range(0, n), e0.Select(r => r.Sample).Order());
        Assert.All(e0, r => Assert.Equal(labels[r.Sample], r.Label));
        Assert.InRange(e0.Count(r => r.View == 1), 10, 40);
        Assert.Equal(e0, Epoch(0, true));
        var e1 = Epoch(1, true);
        Assert.NotEqual(e0.OrderBy(r => r.Sample).Select(r => r.View), e1.OrderBy(r => r.Sample).Select(r => r.View));
        // Without shuffling (evaluation) every sample is its first view, in order.
        Assert.Equal(Enumerable.Range(0, n).Select(i => (i, 0, labels[i])), Epoch(0, false));
        Assert.Throws<ArgumentException>(() => new MultiViewBatchSource(new[] { a, new Tensor(new Shape(n - 1, 2)) }, labels));
    }
}
