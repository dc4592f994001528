using Graft.Data;
using Graft.Data.Images;
using Graft.Data.Loading;
using Graft.Data.Transforms;
using Graft.Tensors;
using Graft.Tests.Data.Support;
using Graft.Tests.Support;

namespace Graft.Tests.Data.Loading;

public class ImageLoaderTests
{
    private static ImageDataset Small(TempDataset ds, int perClass = 5)
    {
        ds.Images("a", perClass, 12, 10).Images("b", perClass, 10, 14).Images("c", perClass, 9, 9);
        return ImageFolder.Load(ds.Root, new ImageFolderOptions { ValidationSplit = 0 }).Train;
    }

    [Fact]
    public void Epoch_YieldsNhwcBatches_WithLabels_AndAPartialLastBatch()
    {
        using var ds = new TempDataset();
        var data = Small(ds);
        using var loader = new ImageLoader(data, new ImageLoaderOptions { BatchSize = 4, ImageSize = 8 });
        var batches = loader.Epoch().ToList();
        Assert.Equal(4, batches.Count);
        Assert.Equal([4, 4, 4, 3], batches.Select(b => b.Count));
        Assert.Equal(new Shape(4, 8, 8, 3), batches[0].Images.Shape);
        Assert.Equal(new Shape(3, 8, 8, 3), batches[3].Images.Shape);
        var labels = batches.SelectMany(b => b.Labels).ToArray();
        Assert.Equal(data.Samples.Select(s => s.Label), labels);
        Assert.Equal(Enumerable.Range(0, 15), batches.SelectMany(b => b.SampleIndices));
        using var dropLast = new ImageLoader(data, new ImageLoaderOptions { BatchSize = 4, ImageSize = 8, DropLast = true });
        Assert.Equal(3, dropLast.Epoch().Count());
    }

    [Fact]
    public void EvaluationBatch_IsDecodeResizeShorterSideCentreCropPreprocess()
    {
        using var ds = new TempDataset();
        var data = Small(ds);
        var pre = Preprocessing.SymmetricUnitRange;
        using var loader = new ImageLoader(data, new ImageLoaderOptions { BatchSize = 15, ImageSize = 6, Preprocessing = pre });
        var batch = loader.Epoch().Single();
        for (int i = 0; i < data.Count; i++)
        {
            var img = Crop.Center(ImageResize.ResizeShorterSide(ImageDecoder.Decode(data.Samples[i].Path), 6), 6, 6);
            var expected = new float[6 * 6 * 3];
            pre.Apply(img.Span, expected);
            Assert.Equal(expected, batch.Images.SliceBatch(i, 1).ToArray());
        }
        Assert.All(batch.Images.ToArray(), v => Assert.InRange(v, -1f, 1f));
    }

    [Fact]
    public void Strict_ListsEveryBadFile_SkipBad_TrainsOnTheRest()
    {
        using var ds = new TempDataset();
        ds.Images("a", 4).Images("b", 4);
        ds.Write("a/zero.jpg", []);
        ds.Write("b/truncated.png", PngBuilder.Valid(8, 8)[..40]);
        ds.Write("b/notes.jpg", "hello"u8.ToArray());
        ds.Write("a/gif_named.jpg", PillowFixtures.Bytes("photo.gif")); // fine: the format comes from the bytes
        var data = ImageFolder.Load(ds.Root, new ImageFolderOptions { ValidationSplit = 0 }).Train;

        using var strict = new ImageLoader(data, new ImageLoaderOptions { ImageSize = 8 });
        var e = Assert.Throws<DatasetValidationException>(() => strict.Prepare());
        Assert.Equal(["notes.jpg", "truncated.png", "zero.jpg"], e.BadImages.Select(b => Path.GetFileName(b.Path)).Order(StringComparer.Ordinal));
        Assert.Equal(DecodeError.Empty, e.BadImages.Single(b => b.Path.EndsWith("zero.jpg", StringComparison.Ordinal)).Reason);
        Assert.Equal(DecodeError.Truncated, e.BadImages.Single(b => b.Path.EndsWith("truncated.png", StringComparison.Ordinal)).Reason);
        Assert.Equal(DecodeError.UnknownFormat, e.BadImages.Single(b => b.Path.EndsWith("notes.jpg", StringComparison.Ordinal)).Reason);
        foreach (var name in new[] { "zero.jpg", "truncated.png", "notes.jpg" }) Assert.Contains(name, e.Message);

        using var lenient = new ImageLoader(data, new ImageLoaderOptions { ImageSize = 8, SkipBadImages = true, BatchSize = 4 });
        var report = lenient.Prepare();
        Assert.Equal(3, report.Skipped.Count);
        Assert.Equal(9, report.Usable);
        Assert.Equal(9, lenient.Epoch().Sum(b => b.Count));
    }

    [Fact]
    public void Shuffle_IsSeededPerEpoch_AndCoversEverySampleOnce()
    {
        using var ds = new TempDataset();
        var data = Small(ds, 8);
        ImageLoader Make(int seed) => new(data, new ImageLoaderOptions { ImageSize = 4, BatchSize = 5, Shuffle = true, Seed = seed });
        int[] Order(ImageLoader l, int epoch) => l.Epoch(epoch).SelectMany(b => b.SampleIndices).ToArray();
        using var a = Make(1);
        using var b = Make(1);
        using var c = Make(2);
        Assert.Equal(Order(a, 0), Order(b, 0));
        Assert.NotEqual(Order(a, 0), Order(a, 1));
        Assert.NotEqual(Order(a, 0), Order(c, 0));
        Assert.Equal(Enumerable.Range(0, 24), Order(a, 3).Order());
    }

    [Fact]
    public void Augmented_Batches_DoNotDependOnThreadsOrCache()
    {
        using var ds = new TempDataset();
        var data = Small(ds);
        float[] Run(int threads, long cache)
        {
            using var l = new ImageLoader(data, new ImageLoaderOptions
            {
                ImageSize = 8, BatchSize = 6, Augmentation = Augmentation.Standard, Shuffle = true, MaxThreads = threads, CacheBytes = cache,
            });
            return l.Epoch(2).SelectMany(b => b.Images.ToArray()).ToArray();
        }
        var reference = Run(1, 1 << 20);
        Assert.Equal(reference, Run(2, 1 << 20));
        Assert.Equal(reference, Run(2, 0));
    }

    [Fact]
    public void CacheBudget_IsRespected()
    {
        using var ds = new TempDataset();
        var data = Small(ds);
        using var l = new ImageLoader(data, new ImageLoaderOptions { ImageSize = 8, CacheBytes = 8 * 10 * 3 * 4 });
        var r = l.Prepare();
        Assert.True(r.CachedBytes <= 8 * 10 * 3 * 4, $"{r.CachedBytes}");
        Assert.InRange(r.Cached, 1, 4);
        Assert.Equal(15, l.Epoch().Sum(b => b.Count));
    }

    [Fact]
    public void Progress_Cancellation_AndEarlyExit()
    {
        using var ds = new TempDataset();
        var data = Small(ds, 30);
        var reports = new List<LoadProgress>();
        using (var l = new ImageLoader(data, new ImageLoaderOptions { ImageSize = 8 }))
        {
            l.Prepare(new SyncProgress(reports.Add));
            Assert.Equal(90, reports.Max(p => p.Done));
            Assert.All(reports, p => Assert.Equal(90, p.Total));
            // Leaving an epoch early stops its producer; the next epoch works.
            foreach (var _ in l.Epoch(0)) break;
            Assert.Equal(3, l.Epoch(1).Count());
        }
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        using var l2 = new ImageLoader(data, new ImageLoaderOptions { ImageSize = 8 });
        Assert.ThrowsAny<OperationCanceledException>(() => l2.Prepare(null, cancelled.Token));
        using var l3 = new ImageLoader(data, new ImageLoaderOptions { ImageSize = 8, BatchSize = 2 });
        l3.Prepare();
        using var midway = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() =>
        {
            foreach (var b in l3.Epoch(0, midway.Token)) midway.Cancel();
        });
    }

    [Fact]
    public void SharedFlowersValidation_LoadsWithoutBadImages()
    {
        var flowers = ImageFolder.Load(SharedData.PathTo("datasets", "flowers"));
        using var loader = new ImageLoader(flowers.Validation, new ImageLoaderOptions { ImageSize = 128, BatchSize = 64, Preprocessing = Preprocessing.SymmetricUnitRange });
        var report = loader.Prepare();
        Assert.Empty(report.Skipped);
        Assert.Equal(868, report.Cached);
        int seen = 0;
        foreach (var b in loader.Epoch())
        {
            using (b) seen += b.Count;
        }
        Assert.Equal(868, seen);
    }

    /// <summary>IProgress that reports synchronously (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class SyncProgress(Action<LoadProgress> report) : IProgress<LoadProgress>
    {
        private readonly Lock _gate = new();
        public void Report(LoadProgress value)
        {
            lock (_gate) report(value);
        }
    }
}
