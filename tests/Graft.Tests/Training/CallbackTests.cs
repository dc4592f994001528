using Graft.Graph;
using Graft.Layers;
using Graft.Tensors;
using Graft.Training;
using Graft.Training.Callbacks;

namespace Graft.Tests.Training;

public class CallbackTests
{
    private static (TrainingContext Context, Dense Layer, Func<double> Lr) Context()
    {
        var d = new Dense(2, name: "d");
        var model = Model.Sequential(new Shape(3), d);
        double lr = 0.1;
        return (new TrainingContext(model, () => lr, v => lr = v), d, () => lr);
    }

    private static EpochLogs Logs(double valLoss) => new() { ["loss"] = 1, ["val_loss"] = valLoss };

    [Fact]
    public void EarlyStoppingStopsAfterPatienceAndRestoresTheBestWeights()
    {
        var (ctx, d, _) = Context();
        var es = new EarlyStopping("val_loss", patience: 2);
        es.OnTrainBegin(ctx);
        double[] losses = { 1.0, 0.5, 0.6, 0.7, 0.8 };
        float[]? bestKernel = null;
        for (int e = 0; e < losses.Length && !ctx.StopTraining; e++)
        {
            d.Kernel.Value.Span.Fill(e); // each epoch leaves different weights
            es.OnEpochEnd(ctx, e, Logs(losses[e]));
            if (e == 1) bestKernel = d.Kernel.Value.ToArray();
        }
        Assert.True(ctx.StopTraining);
        Assert.Equal(3, es.StoppedEpoch);
        es.OnTrainEnd(ctx);
        Assert.Equal(bestKernel, d.Kernel.Value.ToArray());
        Assert.Equal(1, es.BestEpoch);
    }

    [Fact]
    public void AccuracyIsMaximisedAndMinDeltaIsRespected()
    {
        var (ctx, _, _) = Context();
        var es = new EarlyStopping("val_accuracy", patience: 0, minDelta: 0.01);
        es.OnTrainBegin(ctx);
        es.OnEpochEnd(ctx, 0, new EpochLogs { ["val_accuracy"] = 0.5 });
        es.OnEpochEnd(ctx, 1, new EpochLogs { ["val_accuracy"] = 0.505 }); // below min_delta: no improvement
        Assert.True(ctx.StopTraining);
        Assert.Equal(MonitorMode.Max, es.Mode);
    }

    [Fact]
    public void ReduceLROnPlateauCutsTheRateAfterPatience()
    {
        var (ctx, _, lr) = Context();
        var cb = new ReduceLROnPlateau(factor: 0.5, patience: 2, minLearningRate: 0.03);
        cb.OnTrainBegin(ctx);
        foreach (var (e, v) in new[] { (0, 1.0), (1, 1.0), (2, 1.0) }) cb.OnEpochEnd(ctx, e, Logs(v));
        Assert.Equal(0.05, lr(), 12);
        foreach (var e in new[] { 3, 4 }) cb.OnEpochEnd(ctx, e, Logs(1.0));
        Assert.Equal(0.03, lr(), 12); // floored
    }

    [Fact]
    public void TerminateOnNaNStopsAtTheFirstBadLoss()
    {
        var (ctx, _, _) = Context();
        var cb = new TerminateOnNaN();
        cb.OnBatchEnd(ctx, 0, 0.7);
        Assert.False(ctx.StopTraining);
        cb.OnBatchEnd(ctx, 1, double.NaN);
        Assert.True(ctx.StopTraining);
        Assert.Contains(ctx.Messages, m => m.Contains("NaN"));
    }
}
