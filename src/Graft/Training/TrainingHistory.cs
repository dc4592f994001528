using Graft.Training.Callbacks;

namespace Graft.Training;

public sealed record EpochEntry(int Epoch, string Phase, EpochLogs Logs);

/// <summary>Every epoch's figures, in order, and what the callbacks said.</summary>
public sealed class TrainingHistory : List<EpochEntry>
{
    public List<string> Messages { get; } = new();
    public double? Best(string key, bool max) =>
        this.Select(e => e.Logs.Get(key)).Where(v => v.HasValue).Select(v => v!.Value).DefaultIfEmpty(double.NaN)
            .Aggregate((a, b) => double.IsNaN(a) ? b : max ? Math.Max(a, b) : Math.Min(a, b)) is var r && double.IsNaN(r) ? null : r;
}
