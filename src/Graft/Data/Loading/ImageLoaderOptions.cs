using Graft.Data.Images;
using Graft.Data.Transforms;

namespace Graft.Data.Loading;

/// <summary>Settings of an <see cref="ImageLoader"/>. Defaults suit evaluation: no augmentation, no shuffling, strict.</summary>
public sealed record ImageLoaderOptions
{
    public int BatchSize { get; init; } = 32;

    /// <summary>Side of the square images in a batch: batches are (N, ImageSize, ImageSize, 3).</summary>
    public int ImageSize { get; init; } = 224;

    /// <summary>Shorter side of the decoded images kept in memory; 0 means <see cref="ImageSize"/>. Larger values leave
    /// random crops more detail at a quadratic memory cost.</summary>
    public int WorkingSize { get; init; }

    public Preprocessing Preprocessing { get; init; } = Preprocessing.UnitRange;

    /// <summary><see cref="Augmentation.None"/> (the default) centre-crops; set <see cref="Augmentation.Standard"/> for training.</summary>
    public Augmentation Augmentation { get; init; } = Augmentation.None;

    /// <summary>Reshuffle every epoch (seeded by <see cref="Seed"/> and the epoch number).</summary>
    public bool Shuffle { get; init; }

    public int Seed { get; init; } = 42;

    /// <summary>false (strict, the default): any bad image stops <see cref="ImageLoader.Prepare"/> with a list of every bad
    /// file. true: bad images are left out and listed in <see cref="ImageLoader.Skipped"/>.</summary>
    public bool SkipBadImages { get; init; }

    /// <summary>Memory for decoded working images (8-bit). Images past the budget are decoded again each epoch.</summary>
    public long CacheBytes { get; init; } = 1L << 30;

    /// <summary>Batches prepared ahead of the consumer.</summary>
    public int PrefetchBatches { get; init; } = 2;

    /// <summary>Decoding threads; 0 means all cores.</summary>
    public int MaxThreads { get; init; }

    /// <summary>Drop a final batch smaller than <see cref="BatchSize"/>.</summary>
    public bool DropLast { get; init; }

    public DecodeOptions Decode { get; init; } = DecodeOptions.Default;

    internal int EffectiveWorkingSize => WorkingSize > 0 ? Math.Max(WorkingSize, ImageSize) : ImageSize;
    internal int EffectiveThreads => MaxThreads > 0 ? MaxThreads : Environment.ProcessorCount;

    internal void Validate()
    {
        if (BatchSize <= 0) throw new ArgumentException($"BatchSize must be positive. Received: {BatchSize}.");
        if (ImageSize <= 0) throw new ArgumentException($"ImageSize must be positive. Received: {ImageSize}.");
        if (PrefetchBatches < 0) throw new ArgumentException($"PrefetchBatches must be non-negative. Received: {PrefetchBatches}.");
        if (CacheBytes < 0) throw new ArgumentException($"CacheBytes must be non-negative. Received: {CacheBytes}.");
    }
}
