namespace Graft.Tests.Models;

/// <summary>An empty cache folder for one test, deleted afterwards.</summary>
public sealed class TempCache : IDisposable
{
    public TempCache()
    {
        Dir = Path.Combine(Path.GetTempPath(), "graft-cache-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Dir);
    }

    public string Dir { get; }

    /// <summary>Every file and folder in the cache, relative, for "nothing was left behind" checks.</summary>
    public string[] Contents() => Directory.EnumerateFileSystemEntries(Dir, "*", SearchOption.AllDirectories)
        .Select(p => Path.GetRelativePath(Dir, p)).Order().ToArray();

    public void Dispose()
    {
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }
}
