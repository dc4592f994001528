namespace Graft.Data.Loading;

/// <summary>One labelled image file; <see cref="Label"/> indexes the dataset's sorted class names.</summary>
public readonly record struct ImageSample(string Path, int Label);
