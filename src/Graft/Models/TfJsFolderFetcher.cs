using System.Net;
using System.Text.Json.Nodes;
using Graft.Import.TfJs;

namespace Graft.Models;

/// <summary>
/// Puts a TensorFlow.js converter folder into the cache, from a web server (model.json, then the shards it
/// lists) or from a local folder, verifying the pinned hash before anything becomes visible in the cache.
/// </summary>
internal static class TfJsFolderFetcher
{
    private const long MaxModelJsonBytes = 32L << 20;
    private const long MaxShardBytes = 512L << 20;
    public const string LabelsFileName = "labels.txt";

    public static async Task DownloadAsync(ZooEntry entry, TfJsFolderSource src, string baseUrl, string finalDir, TimeSpan timeout,
        IProgress<string>? progress, CancellationToken ct)
    {
        var root = baseUrl.TrimEnd('/') + "/";
        var folderUrl = new Uri(new Uri(root), src.Folder.TrimEnd('/') + "/");
        var temp = CacheDirectory.NewTemp(Path.GetDirectoryName(finalDir)!, entry.Name);
        try
        {
            using var http = new HttpClient { Timeout = timeout };
            var modelJsonPath = Path.Combine(temp, "model.json");
            progress?.Report($"{entry.Name}: downloading {new Uri(folderUrl, "model.json")}");
            await GetToFileAsync(http, new Uri(folderUrl, "model.json"), modelJsonPath, MaxModelJsonBytes, ct).ConfigureAwait(false);
            var shards = ModelHashes.ShardNames(await File.ReadAllBytesAsync(modelJsonPath, ct).ConfigureAwait(false), modelJsonPath);
            for (int i = 0; i < shards.Count; i++)
            {
                progress?.Report($"{entry.Name}: shard {i + 1}/{shards.Count} {shards[i]}");
                await GetToFileAsync(http, new Uri(folderUrl, shards[i]), Path.Combine(temp, shards[i]), MaxShardBytes, ct).ConfigureAwait(false);
            }
            Verify(entry, src, temp, folderUrl.ToString());
            // Labels are published beside the model folders on Graft mirrors; the public bucket has none, so they are optional.
            var labelsUrl = new Uri(new Uri(root), src.LabelsFile);
            try
            {
                var labelsTemp = Path.Combine(temp, ".labels.download");
                await GetToFileAsync(http, labelsUrl, labelsTemp, 1 << 20, ct).ConfigureAwait(false);
                var labels = ReadLabelLines(labelsTemp);
                File.Delete(labelsTemp);
                if (!TryWriteLabels(src, labels, temp))
                    progress?.Report($"{entry.Name}: {labelsUrl} does not match the pinned labels; class names are left out.");
            }
            catch (HttpRequestException e)
            {
                progress?.Report($"{entry.Name}: no class names at {labelsUrl} ({e.Message}); add them with ModelZoo.Add from a folder holding {src.LabelsFile}.");
            }
            CacheDirectory.Commit(temp, finalDir);
        }
        finally
        {
            CacheDirectory.TryDelete(temp);
        }
    }

    /// <summary>Copies a local folder (model.json, shards, and labels beside or above it) into the cache after checking the hash.</summary>
    public static void AddFromFolder(ZooEntry entry, TfJsFolderSource src, string folder, string finalDir)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"Folder not found: {folder}.");
        var temp = CacheDirectory.NewTemp(Path.GetDirectoryName(finalDir)!, entry.Name);
        try
        {
            var (_, shards) = ModelHashes.TfJsFolder(folder);
            foreach (var f in new[] { "model.json" }.Concat(shards))
                File.Copy(Path.Combine(folder, f), Path.Combine(temp, f));
            // Hash the copies, not the originals, so what lands in the cache is exactly what was checked.
            Verify(entry, src, temp, folder);
            foreach (var labels in LabelCandidates(folder, src))
                if (TryWriteLabels(src, labels, temp)) break;
            CacheDirectory.TryDelete(finalDir);
            CacheDirectory.Commit(temp, finalDir);
        }
        finally
        {
            CacheDirectory.TryDelete(temp);
        }
    }

    private static void Verify(ZooEntry entry, TfJsFolderSource src, string folder, string origin)
    {
        var (actual, _) = ModelHashes.TfJsFolder(folder);
        if (actual != src.Sha256)
            throw new ModelIntegrityException(entry.Name, origin, "sha256:" + src.Sha256, "sha256:" + actual);
    }

    private static IEnumerable<IReadOnlyList<string>> LabelCandidates(string folder, TfJsFolderSource src)
    {
        foreach (var file in new[] { Path.Combine(folder, LabelsFileName), Path.Combine(folder, src.LabelsFile), Path.Combine(folder, "..", src.LabelsFile) })
            if (File.Exists(file)) yield return ReadLabelLines(file);
        // The TensorFlow.js team's folders carry the class names in metadata.json.
        var metadata = Path.Combine(folder, "metadata.json");
        if (File.Exists(metadata))
        {
            JsonArray? arr = null;
            try { arr = StrictJson.Parse(File.ReadAllBytes(metadata), metadata)["labels"] as JsonArray; }
            catch (ModelFormatException) { }
            if (arr is not null && arr.All(l => l is JsonValue v && v.TryGetValue<string>(out _)))
                yield return arr.Select(l => l!.GetValue<string>()).ToList();
        }
    }

    private static IReadOnlyList<string> ReadLabelLines(string file)
    {
        var lines = File.ReadAllLines(file).ToList();
        while (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        return lines;
    }

    private static bool TryWriteLabels(TfJsFolderSource src, IReadOnlyList<string> labels, string folder)
    {
        if (ModelHashes.Labels(labels) != src.LabelsSha256) return false;
        File.WriteAllText(Path.Combine(folder, LabelsFileName), string.Concat(labels.Select(l => l + "\n")));
        return true;
    }

    /// <summary>Streams a response to a file, refusing bodies larger than <paramref name="maxBytes"/> whatever the headers claim.</summary>
    private static async Task GetToFileAsync(HttpClient http, Uri url, string path, long maxBytes, CancellationToken ct)
    {
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
            throw new HttpRequestException($"{url} answered {(int)response.StatusCode} {response.ReasonPhrase}.", null, response.StatusCode);
        if (response.Content.Headers.ContentLength > maxBytes)
            throw new HttpRequestException($"{url} is {response.Content.Headers.ContentLength} bytes; at most {maxBytes} are accepted for this file.");
        await using var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        var buffer = new byte[1 << 16];
        long total = 0;
        int n;
        while ((n = await body.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
        {
            total += n;
            if (total > maxBytes) throw new HttpRequestException($"{url} sent more than {maxBytes} bytes; refused.");
            await file.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
        }
    }
}
