using Graft.Tensors;

namespace Graft.Training;

/// <summary>A batch of inputs (N first) and their integer labels. The tensor may be reused by the next batch.</summary>
public readonly record struct Batch(Tensor Inputs, int[] Labels, int[] Indices)
{
    public int Count => Labels.Length;
}

/// <summary>
/// Where <c>Fit</c> and <c>Evaluate</c> get their samples. The order of an epoch must depend only on
/// (seed, epoch), so that a resumed run sees the same batches as an uninterrupted one.
/// </summary>
public interface IBatchSource
{
    int Count { get; }
    IReadOnlyList<int> Labels { get; }
    /// <summary>Per-sample input shape (no batch dimension).</summary>
    Shape SampleShape { get; }
    IEnumerable<Batch> GetBatches(int batchSize, int epoch, bool shuffle, int seed, CancellationToken cancellationToken = default);
}
