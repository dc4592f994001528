using System.Text.Json.Nodes;

namespace Graft.Import.TfJs;

/// <summary>
/// A layers model as stored: the parsed model JSON, its weights manifest and access to the shard bytes.
/// Two packagings are read: the converter's folder (model.json + binary shards) and nsfwjs's npm packaging
/// (model.min.js + group*-shard*.min.js modules wrapping the same JSON and base64 shards).
/// </summary>
internal sealed class ModelArtifacts
{
    private readonly string _folder;
    private readonly bool _packaged;

    private ModelArtifacts(string filePath, bool packaged, JsonObject root)
    {
        FilePath = filePath;
        _folder = Path.GetDirectoryName(Path.GetFullPath(filePath))!;
        _packaged = packaged;
        Root = root;
        if (root["format"] is JsonValue fv && fv.TryGetValue<string>(out var format) && format != "layers-model")
            throw new ModelFormatException(filePath, null, $"format is '{format}'; Graft imports TensorFlow.js layers models (format 'layers-model'), not graph models.");
        Groups = WeightsManifest.Parse(root["weightsManifest"] ?? new JsonArray(), filePath);
    }

    /// <summary>model.json or model.min.js: the file errors about the topology point to.</summary>
    public string FilePath { get; }
    public JsonObject Root { get; }
    public IReadOnlyList<WeightGroup> Groups { get; }

    /// <summary>Opens a model.json, a model.min.js, or a folder holding either.</summary>
    public static ModelArtifacts Open(string path)
    {
        if (Directory.Exists(path))
        {
            var json = Path.Combine(path, "model.json");
            var js = Path.Combine(path, "model.min.js");
            path = File.Exists(json) ? json : File.Exists(js) ? js
                : throw new ModelFormatException(path, null, "the folder holds neither model.json nor model.min.js.");
        }
        if (!File.Exists(path)) throw new ModelFormatException(path, null, "file not found.");
        bool packaged = path.EndsWith(".js", StringComparison.OrdinalIgnoreCase);
        var bytes = packaged ? BrowserifyModule.ReadObject(path) : File.ReadAllBytes(path);
        if (StrictJson.Parse(bytes, path) is not JsonObject root)
            throw new ModelFormatException(path, null, "the model file must hold a JSON object with 'modelTopology' and 'weightsManifest'.");
        return new ModelArtifacts(path, packaged, root);
    }

    /// <summary>
    /// Reads one group's bytes. Sizes are checked against the files before the group's buffer is allocated,
    /// so a manifest declaring huge shapes cannot make the reader allocate more than the files hold.
    /// </summary>
    public byte[] ReadGroup(WeightGroup group)
    {
        long declared = group.ByteLength;
        if (_packaged)
        {
            // A base64 module decodes to at most 3/4 of its size, so decoding first stays bounded by the file.
            var parts = group.Paths.Select(p => BrowserifyModule.ReadBase64(ShardPath(p))).ToList();
            long actual = parts.Sum(p => (long)p.Length);
            CheckLength(group, declared, actual);
            var all = new byte[actual];
            long at = 0;
            foreach (var p in parts) { p.CopyTo(all, at); at += p.Length; }
            return all;
        }
        else
        {
            var files = group.Paths.Select(ShardPath).ToList();
            long actual = files.Sum(f => new FileInfo(f).Length);
            CheckLength(group, declared, actual);
            var all = new byte[actual];
            int offset = 0;
            foreach (var f in files)
            {
                using var s = File.OpenRead(f);
                int len = (int)s.Length;
                s.ReadExactly(all, offset, len);
                offset += len;
            }
            return all;
        }
    }

    private string ShardPath(string manifestPath)
    {
        var file = Path.Combine(_folder, _packaged ? manifestPath + ".min.js" : manifestPath);
        if (!File.Exists(file))
            throw new ModelFormatException(file, null, $"weight shard '{manifestPath}' listed in {Path.GetFileName(FilePath)} is missing.");
        return file;
    }

    private void CheckLength(WeightGroup group, long declared, long actual)
    {
        if (declared == actual) return;
        string shards = string.Join(", ", group.Paths);
        if (actual < declared)
        {
            long end = 0;
            foreach (var w in group.Weights)
            {
                end += w.ByteLength;
                if (end > actual)
                    throw new ModelFormatException(FilePath, w.Name,
                        $"the weight ends at byte {end} of group {group.Index + 1}, but its shards ({shards}) hold only {actual} bytes: a shard is truncated or the manifest's shapes are wrong.");
            }
        }
        throw new ModelFormatException(FilePath, null,
            $"group {group.Index + 1}'s shards ({shards}) hold {actual} bytes but its manifest entries describe {declared}: sizes disagree with the shapes.");
    }
}
