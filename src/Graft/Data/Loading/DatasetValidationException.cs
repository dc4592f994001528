namespace Graft.Data.Loading;

/// <summary>Strict mode found bad images; the message and <see cref="BadImages"/> list every one of them.</summary>
public sealed class DatasetValidationException(IReadOnlyList<BadImage> badImages, int total)
    : Exception($"{badImages.Count} of {total} images could not be decoded:\n  " +
                string.Join("\n  ", badImages) +
                "\nHint: fix or remove these files, or set ImageLoaderOptions.SkipBadImages (--skip-bad) to train on the rest.")
{
    public IReadOnlyList<BadImage> BadImages { get; } = badImages;
}
