namespace Graft.Data.Loading;

/// <summary>Progress of <see cref="ImageLoader.Prepare"/>: images processed so far, of which failed, out of total.</summary>
public readonly record struct LoadProgress(int Done, int Failed, int Total);
