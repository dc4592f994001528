namespace Graft.Data.Loading;

/// <summary>How <see cref="ImageFolder.Load"/> reads a folder of class sub-folders.</summary>
public sealed record ImageFolderOptions
{
    /// <summary>Fraction of each class held out for validation when the folder is not already split (--val-split).</summary>
    public double ValidationSplit { get; init; } = 0.2;

    /// <summary>Seed of the split (--seed); the same seed gives the same split on every run and machine.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Which files are candidates, by extension (case-insensitive). The format itself is read from the bytes.</summary>
    public IReadOnlyList<string> Extensions { get; init; } = [".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".bmp", ".gif"];
}
