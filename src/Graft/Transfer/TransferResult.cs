using Graft.Graph;
using Graft.Training;

namespace Graft.Transfer;

/// <summary>One candidate layer's linear-probe score (auto strategy).</summary>
public sealed record ProbeScore(string Layer, int Dimension, double ValidationAccuracy, double C);

/// <summary>What a transfer run produced: the classifier, how it was made, and how well it does.</summary>
public sealed class TransferResult
{
    public required Model Model { get; init; }
    public required IReadOnlyList<string> ClassNames { get; init; }
    public required Backbone Backbone { get; init; }
    /// <summary>The strategy that produced <see cref="Model"/> (never Auto).</summary>
    public required Strategy Strategy { get; init; }
    public required string FeatureLayer { get; init; }
    /// <summary>Why this strategy and layer (auto's reasoning, or "chosen by the user").</summary>
    public required string Reason { get; init; }
    public required Evaluation Validation { get; init; }
    public TrainingHistory History { get; init; } = new();
    public IReadOnlyList<ProbeScore> Probes { get; init; } = Array.Empty<ProbeScore>();
    /// <summary>Paths of the validation images, indexed like <see cref="Evaluation.SampleIndices"/>.</summary>
    public IReadOnlyList<string> ValidationPaths { get; init; } = Array.Empty<string>();
    /// <summary>Things the user should know: rollbacks, skipped images, warnings.</summary>
    public List<string> Notes { get; } = new();
    /// <summary>Seconds per stage ("decode", "extract", "linear", "head", "finetune", "total").</summary>
    public Dictionary<string, double> Timings { get; } = new();
}
