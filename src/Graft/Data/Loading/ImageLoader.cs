using System.Collections.Concurrent;
using System.Diagnostics;
using Graft.Data.Images;
using Graft.Data.Transforms;
using Graft.Tensors;

namespace Graft.Data.Loading;

/// <summary>
/// Turns an <see cref="ImageDataset"/> into batches of NHWC float32 tensors and int labels.
/// <see cref="Prepare"/> decodes every image once, on all cores, to its working size (shorter side
/// <see cref="ImageLoaderOptions.WorkingSize"/>, using DCT downscaling for large JPEGs) and keeps the 8-bit result
/// in memory within <see cref="ImageLoaderOptions.CacheBytes"/>; it is also where bad files are found (strict:
/// stop and list them; lenient: leave them out). <see cref="Epoch"/> then crops/augments, preprocesses and
/// batches on background threads, <see cref="ImageLoaderOptions.PrefetchBatches"/> ahead of the consumer.
/// Augmentation draws from a stream keyed by (seed, epoch, sample), so results do not depend on thread timing.
/// </summary>
public sealed class ImageLoader : IDisposable
{
    private readonly ImageLoaderOptions _options;
    private readonly RgbImage?[] _cache;
    private readonly ConcurrentBag<float[]> _buffers = [];
    private int[]? _usable;
    private IReadOnlyList<BadImage> _skipped = [];
    private long _cachedBytes;
    private bool _disposed;

    public ImageLoader(ImageDataset dataset, ImageLoaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        _options = options ?? new ImageLoaderOptions();
        _options.Validate();
        Dataset = dataset;
        _cache = new RgbImage?[dataset.Count];
    }

    public ImageDataset Dataset { get; }
    public ImageLoaderOptions Options => _options;

    /// <summary>Images left out by <see cref="Prepare"/> in skip-bad mode (empty before it runs).</summary>
    public IReadOnlyList<BadImage> Skipped => _skipped;

    /// <summary>Images an epoch yields (all of them until <see cref="Prepare"/> has run).</summary>
    public int Count => _usable?.Length ?? Dataset.Count;

    public int BatchesPerEpoch => _options.DropLast ? Count / _options.BatchSize : (Count + _options.BatchSize - 1) / _options.BatchSize;

    public long CachedBytes => Interlocked.Read(ref _cachedBytes);

    /// <summary>Shape of a full batch: (BatchSize, ImageSize, ImageSize, 3).</summary>
    public Shape BatchShape => new(_options.BatchSize, _options.ImageSize, _options.ImageSize, 3);

    /// <summary>
    /// Decodes and checks every image (in parallel), caching working images within the budget. Strict mode throws
    /// <see cref="DatasetValidationException"/> listing every bad file; skip-bad mode reports them instead.
    /// Runs once; later calls return at once. <see cref="Epoch"/> calls it if you have not.
    /// </summary>
    public PrepareReport Prepare(IProgress<LoadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var clock = Stopwatch.StartNew();
        if (_usable is not null) return new PrepareReport(_usable.Length, _cache.Count(c => c is not null), CachedBytes, _skipped, TimeSpan.Zero);
        int total = Dataset.Count, done = 0, failedCount = 0;
        var failed = new ConcurrentBag<(int Index, BadImage Bad)>();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.EffectiveThreads, CancellationToken = cancellationToken };
        Parallel.For(0, total, parallel, i =>
        {
            try
            {
                var image = LoadWorking(i);
                if (TryReserve(image.ByteCount)) _cache[i] = image;
            }
            catch (ImageDecodeException e)
            {
                failed.Add((i, new BadImage(Dataset.Samples[i].Path, e.Reason, e.Detail)));
                Interlocked.Increment(ref failedCount);
            }
            int n = Interlocked.Increment(ref done);
            if (progress is not null && (n % 64 == 0 || n == total)) progress.Report(new LoadProgress(n, Volatile.Read(ref failedCount), total));
        });
        var bad = failed.OrderBy(f => f.Index).ToArray();
        if (bad.Length > 0 && !_options.SkipBadImages)
            throw new DatasetValidationException(bad.Select(b => b.Bad).ToArray(), total);
        var badIndices = bad.Select(b => b.Index).ToHashSet();
        _skipped = bad.Select(b => b.Bad).ToArray();
        _usable = Enumerable.Range(0, total).Where(i => !badIndices.Contains(i)).ToArray();
        return new PrepareReport(_usable.Length, _cache.Count(c => c is not null), CachedBytes, _skipped, clock.Elapsed);
    }

    /// <summary>
    /// The batches of epoch <paramref name="epoch"/> (shuffled per epoch when <see cref="ImageLoaderOptions.Shuffle"/>),
    /// produced in the background. Stop early by breaking out of the loop; cancellation throws
    /// <see cref="OperationCanceledException"/>. Dispose each batch when done with it to recycle its buffer.
    /// </summary>
    public IEnumerable<Batch> Epoch(int epoch = 0, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Prepare(null, cancellationToken);
        var order = (int[])_usable!.Clone();
        if (_options.Shuffle) StableRandom.Derive(_options.Seed, epoch).Shuffle(order.AsSpan());
        return Produce(order, epoch, cancellationToken);
    }

    private IEnumerable<Batch> Produce(int[] order, int epoch, CancellationToken cancellationToken)
    {
        int batchSize = _options.BatchSize;
        int batches = BatchesPerEpoch;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var queue = new BlockingCollection<Batch>(Math.Max(1, _options.PrefetchBatches));
        var producer = Task.Run(() =>
        {
            try
            {
                for (int b = 0; b < batches; b++)
                {
                    stop.Token.ThrowIfCancellationRequested();
                    int start = b * batchSize, count = Math.Min(batchSize, order.Length - start);
                    queue.Add(BuildBatch(order.AsSpan(start, count).ToArray(), epoch, stop.Token), stop.Token);
                }
            }
            finally
            {
                queue.CompleteAdding();
            }
        });
        try
        {
            foreach (var batch in queue.GetConsumingEnumerable(cancellationToken))
                yield return batch;
            producer.GetAwaiter().GetResult(); // rethrows a producer failure
        }
        finally
        {
            stop.Cancel();
            try { producer.Wait(); } catch (AggregateException) { }
            while (queue.TryTake(out var left)) left.Dispose();
        }
    }

    private Batch BuildBatch(int[] indices, int epoch, CancellationToken cancellationToken)
    {
        int size = _options.ImageSize, perImage = size * size * 3;
        int n = indices.Length;
        var buffer = RentBuffer(_options.BatchSize * perImage);
        var labels = new int[n];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.EffectiveThreads, CancellationToken = cancellationToken };
        Parallel.For(0, n, parallel, k =>
        {
            int i = indices[k];
            labels[k] = Dataset.Samples[i].Label;
            var working = _cache[i] ?? LoadWorking(i);
            var dst = buffer.AsSpan(k * perImage, perImage);
            if (_options.Augmentation.IsNone && TryCentreCropInto(working, size, dst)) return;
            var rng = StableRandom.Derive(_options.Seed, epoch, i);
            var view = _options.Augmentation.Apply(working, size, size, ref rng);
            _options.Preprocessing.Apply(view.Span, dst);
        });
        return new Batch(new Tensor(new Shape(n, size, size, 3), buffer), labels, indices, ReturnBuffer);
    }

    /// <summary>The evaluation path: when the working image already has the output size on its shorter side, the
    /// centre crop is a plain copy, preprocessed straight into the batch.</summary>
    private bool TryCentreCropInto(RgbImage working, int size, Span<float> dst)
    {
        if (Math.Min(working.Width, working.Height) != size) return false;
        var (x, y) = Crop.CenterOffset(working.Width, working.Height, size, size);
        for (int r = 0; r < size; r++)
            _options.Preprocessing.Apply(working.Pixels.AsSpan(((y + r) * working.Width + x) * 3, size * 3), dst.Slice(r * size * 3, size * 3));
        return true;
    }

    private RgbImage LoadWorking(int index)
    {
        int s = _options.EffectiveWorkingSize;
        var decodeOptions = _options.Decode with { MinWidth = s, MinHeight = s };
        var image = ImageDecoder.Decode(Dataset.Samples[index].Path, decodeOptions);
        return ImageResize.ResizeShorterSide(image, s);
    }

    private bool TryReserve(long bytes)
    {
        long now = Interlocked.Add(ref _cachedBytes, bytes);
        if (now <= _options.CacheBytes) return true;
        Interlocked.Add(ref _cachedBytes, -bytes);
        return false;
    }

    private float[] RentBuffer(int length)
    {
        while (_buffers.TryTake(out var b))
            if (b.Length == length) return b;
        return new float[length];
    }

    private void ReturnBuffer(float[] buffer)
    {
        if (!_disposed && _buffers.Count < _options.PrefetchBatches + 2) _buffers.Add(buffer);
    }

    /// <summary>Drops the cached images.</summary>
    public void Dispose()
    {
        _disposed = true;
        Array.Clear(_cache);
        _buffers.Clear();
        Interlocked.Exchange(ref _cachedBytes, 0);
    }
}
