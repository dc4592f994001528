namespace Graft.Models;

/// <summary>
/// Where fetched models live: an explicit folder, else $GRAFT_CACHE/models, else $XDG_CACHE_HOME/graft/models,
/// else ~/.cache/graft/models. Entries appear only complete: they are assembled in a temporary folder beside
/// their final place and renamed into it.
/// </summary>
internal static class CacheDirectory
{
    public static string Resolve(string? explicitDir)
    {
        if (!string.IsNullOrEmpty(explicitDir)) return Path.GetFullPath(explicitDir);
        var graft = Environment.GetEnvironmentVariable("GRAFT_CACHE");
        if (!string.IsNullOrEmpty(graft)) return Path.GetFullPath(Path.Combine(graft, "models"));
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var root = !string.IsNullOrEmpty(xdg) ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.GetFullPath(Path.Combine(root, "graft", "models"));
    }

    /// <summary>A fresh temporary folder inside <paramref name="parent"/> (same file system, so the final rename is atomic).</summary>
    public static string NewTemp(string parent, string name)
    {
        Directory.CreateDirectory(parent);
        var dir = Path.Combine(parent, $".tmp-{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Renames a completed temporary folder into place; if another process got there first, keeps theirs.</summary>
    public static void Commit(string tempDir, string finalDir)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(finalDir)!);
        try
        {
            if (!Directory.Exists(finalDir))
            {
                Directory.Move(tempDir, finalDir);
                return;
            }
        }
        catch (IOException) when (Directory.Exists(finalDir)) { }
        TryDelete(tempDir);
    }

    public static void TryDelete(string dir)
    {
        try { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
