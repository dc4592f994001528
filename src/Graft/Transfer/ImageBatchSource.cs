using Graft.Data.Loading;
using Graft.Tensors;
using Graft.Training;

namespace Graft.Transfer;

/// <summary>
/// Feeds <see cref="Trainer"/> from an image loader (for training on images, e.g. with augmentation). The
/// loader fixes the batch size, order and augmentation; the epoch number selects its seeded order.
/// </summary>
public sealed class ImageBatchSource : IBatchSource
{
    private readonly ImageLoader _loader;

    public ImageBatchSource(ImageLoader loader)
    {
        _loader = loader;
        SampleShape = new Shape(loader.Options.ImageSize, loader.Options.ImageSize, 3);
    }

    public int Count => _loader.Count;
    public IReadOnlyList<int> Labels => _loader.Dataset.Samples.Select(s => s.Label).ToArray();
    public Shape SampleShape { get; }

    public IEnumerable<Training.Batch> GetBatches(int batchSize, int epoch, bool shuffle, int seed, CancellationToken cancellationToken = default)
    {
        if (batchSize != _loader.Options.BatchSize)
            throw new ArgumentException($"This loader makes batches of {_loader.Options.BatchSize}. Received a request for {batchSize}.");
        foreach (var b in _loader.Epoch(epoch, cancellationToken))
            using (b)
                yield return new Training.Batch(b.Images, b.Labels, b.SampleIndices);
    }
}
