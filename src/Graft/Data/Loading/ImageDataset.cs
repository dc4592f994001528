namespace Graft.Data.Loading;

/// <summary>A list of labelled image files and the class names the labels index. Immutable.</summary>
public sealed class ImageDataset
{
    public ImageDataset(IReadOnlyList<string> classNames, IReadOnlyList<ImageSample> samples)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentNullException.ThrowIfNull(samples);
        foreach (var s in samples)
            if ((uint)s.Label >= (uint)classNames.Count)
                throw new ArgumentException($"Sample {s.Path} has label {s.Label}; expected 0..{classNames.Count - 1}.");
        ClassNames = classNames;
        Samples = samples;
    }

    public IReadOnlyList<string> ClassNames { get; }
    public IReadOnlyList<ImageSample> Samples { get; }
    public int Count => Samples.Count;

    /// <summary>Images per class, indexed by label.</summary>
    public int[] ClassCounts()
    {
        var counts = new int[ClassNames.Count];
        foreach (var s in Samples) counts[s.Label]++;
        return counts;
    }

    /// <summary>The same classes with only the samples <paramref name="keep"/> accepts.</summary>
    public ImageDataset Where(Func<ImageSample, bool> keep) => new(ClassNames, Samples.Where(keep).ToArray());

    public override string ToString() => $"ImageDataset({Count} images, {ClassNames.Count} classes)";
}
