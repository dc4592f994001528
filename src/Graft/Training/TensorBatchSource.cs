using Graft.Tensors;

namespace Graft.Training;

/// <summary>Batches from samples already in memory (features of a frozen trunk, small synthetic sets).</summary>
public sealed class TensorBatchSource : IBatchSource
{
    private readonly Tensor _inputs;
    private readonly int[] _labels;
    private readonly int _per;

    public TensorBatchSource(Tensor inputs, int[] labels)
    {
        if (inputs.Shape[0] != labels.Length)
            throw new ArgumentException($"Expected one label per sample ({inputs.Shape[0]}). Received: {labels.Length}.");
        _inputs = inputs;
        _labels = labels;
        _per = labels.Length == 0 ? 0 : inputs.Length / labels.Length;
        SampleShape = inputs.Shape.WithoutBatch();
    }

    public int Count => _labels.Length;
    public IReadOnlyList<int> Labels => _labels;
    public Shape SampleShape { get; }
    public Tensor Inputs => _inputs;

    public IEnumerable<Batch> GetBatches(int batchSize, int epoch, bool shuffle, int seed, CancellationToken cancellationToken = default)
    {
        var order = EpochOrder.Of(Count, epoch, shuffle, seed);
        var buffer = new TensorSlot();
        for (int start = 0; start < order.Length; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int n = Math.Min(batchSize, order.Length - start);
            var x = buffer.Get(SampleShape.WithBatch(n));
            var labels = new int[n];
            var indices = new int[n];
            for (int i = 0; i < n; i++)
            {
                int s = order[start + i];
                _inputs.Span.Slice(s * _per, _per).CopyTo(x.Span.Slice(i * _per, _per));
                labels[i] = _labels[s];
                indices[i] = s;
            }
            yield return new Batch(x, labels, indices);
        }
    }
}

/// <summary>The sample order of an epoch: a Fisher–Yates shuffle seeded by (seed, epoch) alone.</summary>
public static class EpochOrder
{
    public static int[] Of(int count, int epoch, bool shuffle, int seed)
    {
        var order = new int[count];
        for (int i = 0; i < count; i++) order[i] = i;
        if (!shuffle) return order;
        // HashCode.Combine is randomised per process; resuming needs the same order in a new process.
        var rng = new Random(unchecked(seed * 1_000_003 + epoch * 7919 + 0x5eed));
        for (int i = count - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }
}
