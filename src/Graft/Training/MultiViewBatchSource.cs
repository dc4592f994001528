using Graft.Tensors;

namespace Graft.Training;

/// <summary>
/// Several cached views of the same samples (say each image and its mirror, both run through a frozen trunk):
/// every epoch each sample appears once, as one of its views drawn at random. It is augmentation over a finite
/// set of views, which keeps the frozen part computed once per view instead of once per step. The draw depends
/// only on (seed, epoch, sample), so a resumed run sees the same batches.
/// </summary>
public sealed class MultiViewBatchSource : IBatchSource
{
    private readonly Tensor[] _views;
    private readonly int[] _labels;
    private readonly int _per;

    public MultiViewBatchSource(IReadOnlyList<Tensor> views, int[] labels)
    {
        if (views.Count == 0) throw new ArgumentException("At least one view is needed.");
        foreach (var v in views)
        {
            if (v.Shape[0] != labels.Length)
                throw new ArgumentException($"Expected one label per sample ({v.Shape[0]}). Received: {labels.Length}.");
            if (!v.Shape.Dims.SequenceEqual(views[0].Shape.Dims))
                throw new ShapeMismatchException("view", views[0].Shape.ToString(), v.Shape.ToString(), "every view must hold the same samples in the same shape.");
        }
        _views = views.ToArray();
        _labels = labels;
        _per = labels.Length == 0 ? 0 : views[0].Length / labels.Length;
        SampleShape = views[0].Shape.WithoutBatch();
    }

    public int Count => _labels.Length;
    public int ViewCount => _views.Length;
    public IReadOnlyList<int> Labels => _labels;
    public Shape SampleShape { get; }

    /// <summary>Which view sample <paramref name="sample"/> takes in <paramref name="epoch"/>.</summary>
    public int ViewOf(int sample, int epoch, int seed)
    {
        if (_views.Length == 1) return 0;
        // A fixed integer hash (SplitMix64's finaliser): HashCode is randomised per process.
        ulong z = unchecked((ulong)(uint)seed * 0x9E3779B97F4A7C15UL ^ (ulong)(uint)epoch << 32 ^ (ulong)(uint)sample);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (int)(z % (ulong)_views.Length);
    }

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
                // Without shuffling (evaluation) the first view is the sample as it is.
                var view = _views[shuffle ? ViewOf(s, epoch, seed) : 0];
                view.Span.Slice(s * _per, _per).CopyTo(x.Span.Slice(i * _per, _per));
                labels[i] = _labels[s];
                indices[i] = s;
            }
            yield return new Batch(x, labels, indices);
        }
    }
}
