namespace Graft.Training.Callbacks;

/// <summary>
/// Hooks into <c>Fit</c>, each a no-op unless overridden (Keras's callback). A callback stops training by
/// setting <see cref="TrainingContext.StopTraining"/>.
/// </summary>
public abstract class Callback
{
    public virtual void OnTrainBegin(TrainingContext context) { }
    public virtual void OnEpochBegin(TrainingContext context, int epoch) { }
    public virtual void OnBatchEnd(TrainingContext context, int batch, double loss) { }
    public virtual void OnEpochEnd(TrainingContext context, int epoch, EpochLogs logs) { }
    public virtual void OnTrainEnd(TrainingContext context) { }
}

/// <summary>The figures of one epoch, by Keras's names ("loss", "accuracy", "val_loss", "val_accuracy", "lr").</summary>
public sealed class EpochLogs : Dictionary<string, double>
{
    public EpochLogs() : base(StringComparer.Ordinal) { }
    public double? Get(string key) => TryGetValue(key, out var v) ? v : null;
}
