using Graft.Layers;
using Graft.Losses;
using Graft.Optimizers;
using Graft.Training.Callbacks;

namespace Graft.Training;

/// <summary>Settings of one <see cref="Trainer.Fit"/> call, with Keras's names where they exist.</summary>
public sealed record FitOptions
{
    public int Epochs { get; init; } = 10;
    public int BatchSize { get; init; } = 32;
    public bool Shuffle { get; init; } = true;
    /// <summary>Seeds the data order and dropout masks: the same seed gives the same weights.</summary>
    public int Seed { get; init; } = 42;
    /// <summary>Defaults to categorical cross-entropy on probabilities (models that end in softmax).</summary>
    public ILoss? Loss { get; init; }
    /// <summary>Builds the optimizer over the model's parameter arena; defaults to Adam at 1e-3.</summary>
    public Func<ParameterArena, Optimizer>? Optimizer { get; init; }
    public IReadOnlyList<Callback> Callbacks { get; init; } = Array.Empty<Callback>();
    /// <summary>Also report top-k accuracy when k &gt; 1.</summary>
    public int TopK { get; init; } = 0;
    /// <summary>When set, the run's state is written here (atomically) after every epoch, and <see cref="Resume"/> continues from it.</summary>
    public string? CheckpointPath { get; init; }
    public bool Resume { get; init; }
    /// <summary>A label for this run in logs and histories ("head", "finetune").</summary>
    public string Phase { get; init; } = "train";
}

/// <summary>Progress of a running fit, for progress bars.</summary>
public readonly record struct TrainingProgress(string Phase, int Epoch, int Epochs, int Batch, int Batches, int Samples, double Loss, double Accuracy, double ImagesPerSecond);
