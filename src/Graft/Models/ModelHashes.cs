using System.Security.Cryptography;
using System.Text;
using Graft.Import.TfJs;

namespace Graft.Models;

/// <summary>The digests zoo entries are pinned with.</summary>
internal static class ModelHashes
{
    /// <summary>
    /// SHA-256 of model.json followed by the shards in ordinal file-name order, i.e. `cat model.json group*` in
    /// the C locale. Ordinal rather than manifest order so the value can be checked with a shell one-liner.
    /// Returns the hash and the shard names (validated as plain file names by the manifest reader).
    /// </summary>
    public static (string Sha256, IReadOnlyList<string> Shards) TfJsFolder(string folder)
    {
        var modelJson = Path.Combine(folder, "model.json");
        if (!File.Exists(modelJson)) throw new FileNotFoundException($"No model.json in {folder}.", modelJson);
        var shards = ShardNames(File.ReadAllBytes(modelJson), modelJson);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in new[] { "model.json" }.Concat(shards))
        {
            var path = Path.Combine(folder, file);
            if (!File.Exists(path)) throw new FileNotFoundException($"Shard '{file}' listed in model.json is missing from {folder}.", path);
            using var s = File.OpenRead(path);
            var buffer = new byte[1 << 16];
            int n;
            while ((n = s.Read(buffer)) > 0) sha.AppendData(buffer, 0, n);
        }
        return (Convert.ToHexStringLower(sha.GetHashAndReset()), shards);
    }

    /// <summary>The shard files a model.json lists, distinct, in ordinal order.</summary>
    public static IReadOnlyList<string> ShardNames(byte[] modelJson, string filePath)
    {
        var root = StrictJson.Parse(modelJson, filePath);
        return WeightsManifest.Parse(root["weightsManifest"], filePath).SelectMany(g => g.Paths).Distinct().Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>SHA-256 of the labels as a text file: one per line, each ending with a newline.</summary>
    public static string Labels(IEnumerable<string> labels) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Concat(labels.Select(l => l + "\n")))));

    /// <summary>npm's integrity string ("sha512-" + base64 digest) of a file.</summary>
    public static string NpmIntegrity(string file)
    {
        using var s = File.OpenRead(file);
        return "sha512-" + Convert.ToBase64String(SHA512.HashData(s));
    }
}
