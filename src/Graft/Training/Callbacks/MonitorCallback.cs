namespace Graft.Training.Callbacks;

/// <summary>Whether a monitored figure improves by going down (losses) or up (accuracies).</summary>
public enum MonitorMode { Auto, Min, Max }

/// <summary>The shared part of callbacks that watch one figure: which one, which direction, what counts as better.</summary>
public abstract class MonitorCallback : Callback
{
    protected MonitorCallback(string monitor, MonitorMode mode, double minDelta)
    {
        Monitor = monitor;
        Mode = mode == MonitorMode.Auto ? (monitor.Contains("acc", StringComparison.Ordinal) ? MonitorMode.Max : MonitorMode.Min) : mode;
        MinDelta = Math.Abs(minDelta);
    }

    public string Monitor { get; }
    public MonitorMode Mode { get; }
    public double MinDelta { get; }
    public double? Best { get; protected set; }

    /// <summary>True when <paramref name="value"/> beats the best so far by more than MinDelta.</summary>
    protected bool IsImprovement(double value)
    {
        if (double.IsNaN(value)) return false;
        if (Best is not { } best) return true;
        return Mode == MonitorMode.Min ? value < best - MinDelta : value > best + MinDelta;
    }

    protected double? Current(EpochLogs logs, TrainingContext context)
    {
        var v = logs.Get(Monitor);
        if (v is null) context.Log($"{GetType().Name}: '{Monitor}' is not among the epoch's figures ({string.Join(", ", logs.Keys)}); skipping.");
        return v;
    }
}
