namespace Graft.Data.Loading;

/// <summary>The splits of an image folder, sharing one list of class names.</summary>
public sealed record DatasetSplits(ImageDataset Train, ImageDataset Validation, ImageDataset? Test, IReadOnlyList<DuplicateGroup> Duplicates)
{
    public IReadOnlyList<string> ClassNames => Train.ClassNames;
}
