namespace Graft.Data.Loading;

/// <summary>What <see cref="ImageLoader.Prepare"/> did: usable images, how many stayed in memory, what was skipped.</summary>
public sealed record PrepareReport(int Usable, int Cached, long CachedBytes, IReadOnlyList<BadImage> Skipped, TimeSpan Elapsed)
{
    public double ImagesPerSecond => (Usable + Skipped.Count) / Math.Max(Elapsed.TotalSeconds, 1e-9);
}
