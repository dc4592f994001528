using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Graft.Saving;

namespace Graft.Transfer;

/// <summary>
/// Features of one layer of a frozen network for a list of images, with their provenance: which model,
/// which layer, which preprocessing, which images and labels. Stored as a safetensors file whose metadata
/// carries the provenance and a SHA-256 of the contents, checked on load.
/// </summary>
public sealed class FeatureSet
{
    public FeatureSet(float[] features, int dimension, int[] labels, IReadOnlyList<string> classNames,
        IReadOnlyList<string> imagePaths, FeatureProvenance provenance)
    {
        if (dimension <= 0 || features.Length != labels.Length * dimension)
            throw new ArgumentException($"Expected {labels.Length} × {dimension} feature values. Received: {features.Length}.");
        if (imagePaths.Count != labels.Length)
            throw new ArgumentException($"Expected one image path per label ({labels.Length}). Received: {imagePaths.Count}.");
        foreach (var l in labels)
            if ((uint)l >= (uint)classNames.Count) throw new ArgumentException($"Label {l} is outside the {classNames.Count} classes.");
        Features = features;
        Dimension = dimension;
        Labels = labels;
        ClassNames = classNames.ToArray();
        ImagePaths = imagePaths.ToArray();
        Provenance = provenance;
    }

    public float[] Features { get; }
    public int Dimension { get; }
    public int[] Labels { get; }
    public int Count => Labels.Length;
    public IReadOnlyList<string> ClassNames { get; }
    public IReadOnlyList<string> ImagePaths { get; }
    public FeatureProvenance Provenance { get; }

    public string ContentHash()
    {
        using var sha = SHA256.Create();
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(Features.AsSpan());
        sha.TransformBlock(bytes.ToArray(), 0, bytes.Length, null, 0);
        var labelBytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(Labels.AsSpan()).ToArray();
        sha.TransformFinalBlock(labelBytes, 0, labelBytes.Length);
        return Convert.ToHexStringLower(sha.Hash!);
    }

    public void Save(string path)
    {
        var meta = new JsonObject
        {
            ["format"] = "graft-features",
            ["version"] = 1,
            ["model"] = Provenance.Model,
            ["model_hash"] = Provenance.ModelHash,
            ["layer"] = Provenance.Layer,
            ["preprocessing"] = Provenance.Preprocessing,
            ["created"] = Provenance.Created.ToString("O"),
            ["classes"] = new JsonArray(ClassNames.Select(c => (JsonNode)c).ToArray()),
            ["images"] = new JsonArray(ImagePaths.Select(c => (JsonNode)c).ToArray()),
            ["labels"] = new JsonArray(Labels.Select(c => (JsonNode)c).ToArray()),
            ["content_sha256"] = ContentHash(),
        };
        SafeTensorsFile.Write(path, new[] { new SafeTensorsFile.Entry("features", new[] { Count, Dimension }, Features) },
            new Dictionary<string, string> { ["graft"] = meta.ToJsonString() });
    }

    public static FeatureSet Load(string path)
    {
        var (tensors, metadata) = SafeTensorsFile.Read(path);
        if (!metadata.TryGetValue("graft", out var text))
            throw new FormatException($"{path}: not a Graft feature file (no provenance metadata).");
        JsonObject meta;
        try { meta = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 16 }) as JsonObject ?? throw new FormatException($"{path}: provenance is not a JSON object."); }
        catch (JsonException e) { throw new FormatException($"{path}: provenance metadata is not valid JSON: {e.Message}"); }
        var features = tensors.FirstOrDefault(t => t.Name == "features") ?? throw new FormatException($"{path}: no 'features' tensor.");
        if (features.Shape.Length != 2) throw new FormatException($"{path}: 'features' must be 2-D (images × dimension).");
        try
        {
            var labels = meta["labels"]!.AsArray().Select(n => n!.GetValue<int>()).ToArray();
            var set = new FeatureSet(features.Data, features.Shape[1], labels,
                meta["classes"]!.AsArray().Select(n => n!.GetValue<string>()).ToArray(),
                meta["images"]!.AsArray().Select(n => n!.GetValue<string>()).ToArray(),
                new FeatureProvenance(meta["model"]!.GetValue<string>(), meta["model_hash"]?.GetValue<string>() ?? "",
                    meta["layer"]!.GetValue<string>(), meta["preprocessing"]!.GetValue<string>(),
                    DateTimeOffset.Parse(meta["created"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)));
            if (set.ContentHash() != meta["content_sha256"]?.GetValue<string>())
                throw new FormatException($"{path}: the features do not match their recorded SHA-256; the file was altered or damaged.");
            return set;
        }
        catch (Exception e) when (e is NullReferenceException or InvalidOperationException or ArgumentException)
        {
            throw new FormatException($"{path}: incomplete or inconsistent provenance metadata ({e.Message}).");
        }
    }
}

/// <param name="Model">The zoo name or path of the network.</param>
/// <param name="ModelHash">A hash of the network's weights, so features of different weights are never mixed.</param>
/// <param name="Layer">The layer whose output the features are.</param>
/// <param name="Preprocessing">How pixels were mapped to the network's input, in words (e.g. "RGB, x/127.5 − 1, 224×224").</param>
public sealed record FeatureProvenance(string Model, string ModelHash, string Layer, string Preprocessing, DateTimeOffset Created);
