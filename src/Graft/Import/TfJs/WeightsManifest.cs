using System.Text.Json.Nodes;

namespace Graft.Import.TfJs;

/// <summary>How a weight is stored: its own dtype, or quantized (tfjs: value = min + scale · q, or float16).</summary>
internal enum StorageType { Float32, Int32, Uint8, Uint16, Float16 }

/// <summary>One weightsManifest entry: name, shape and storage, with its byte size in the group's buffer.</summary>
internal sealed record WeightEntry(string Name, int[] Shape, StorageType Storage, double Min, double Scale)
{
    /// <summary>tfjs marks optimizer state with group "optimizer"; it occupies bytes but belongs to no layer.</summary>
    public bool IsOptimizerState { get; init; }

    public long Count => Shape.Aggregate(1L, (a, d) => a * d);
    public long ByteLength => Count * Storage switch { StorageType.Uint8 => 1, StorageType.Uint16 or StorageType.Float16 => 2, _ => 4 };
}

/// <summary>A group of weights stored in the concatenation of its shard files, in order.</summary>
internal sealed record WeightGroup(int Index, IReadOnlyList<string> Paths, IReadOnlyList<WeightEntry> Weights)
{
    public long ByteLength => Weights.Sum(w => w.ByteLength);
}

/// <summary>Reads and validates model.json's weightsManifest (tfjs-core io/types.ts: WeightsManifestConfig).</summary>
internal static class WeightsManifest
{
    public static IReadOnlyList<WeightGroup> Parse(JsonNode? manifest, string filePath)
    {
        if (manifest is not JsonArray groups)
            throw new ModelFormatException(filePath, null, "'weightsManifest' must be a list of {paths, weights} groups.");
        var result = new List<WeightGroup>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int g = 0; g < groups.Count; g++)
        {
            if (groups[g] is not JsonObject group || group["paths"] is not JsonArray paths || group["weights"] is not JsonArray weights)
                throw new ModelFormatException(filePath, null, $"weightsManifest[{g}] must be an object with 'paths' and 'weights' lists.");
            var pathList = new List<string>();
            foreach (var p in paths)
            {
                var path = p is JsonValue pv && pv.TryGetValue<string>(out var ps) ? ps : null;
                // Shard paths are resolved beside model.json; anything that could leave that folder is refused.
                if (string.IsNullOrEmpty(path) || path.Contains('/') || path.Contains('\\') || path is "." or ".." || path.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
                    throw new ModelFormatException(filePath, null, $"weightsManifest[{g}] lists shard path {p?.ToJsonString() ?? "null"}; expected a plain file name beside model.json.");
                pathList.Add(path);
            }
            var entries = new List<WeightEntry>();
            foreach (var w in weights)
            {
                var entry = ParseEntry(w, filePath, g);
                if (!names.Add(entry.Name))
                    throw new ModelFormatException(filePath, entry.Name, "the manifest lists this weight twice.");
                entries.Add(entry);
            }
            if (entries.Count > 0 && pathList.Count == 0)
                throw new ModelFormatException(filePath, null, $"weightsManifest[{g}] has weights but no shard paths.");
            result.Add(new WeightGroup(g, pathList, entries));
        }
        return result;
    }

    private static WeightEntry ParseEntry(JsonNode? node, string filePath, int group)
    {
        if (node is not JsonObject w || w["name"] is not JsonValue nv || !nv.TryGetValue<string>(out var name) || name.Length == 0)
            throw new ModelFormatException(filePath, null, $"weightsManifest[{group}] has an entry without a 'name'.");
        if (w["shape"] is not JsonArray shapeNode)
            throw new ModelFormatException(filePath, name, "the weight has no 'shape' list.");
        var shape = new int[shapeNode.Count];
        long count = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            if (shapeNode[i] is not JsonValue dv || !dv.TryGetValue<int>(out shape[i]) || shape[i] < 0)
                throw new ModelFormatException(filePath, name, $"shape {shapeNode.ToJsonString()} must hold non-negative integers.");
            count *= shape[i];
            if (count > int.MaxValue)
                throw new ModelFormatException(filePath, name, $"shape {shapeNode.ToJsonString()} has more than {int.MaxValue} values.");
        }
        bool optimizer = w["group"] is JsonValue gv && gv.TryGetValue<string>(out var gs) && gs == "optimizer";
        return ParseStorage(w, name, shape, filePath) with { IsOptimizerState = optimizer };
    }

    private static WeightEntry ParseStorage(JsonObject w, string name, int[] shape, string filePath)
    {
        string dtype = w["dtype"] is JsonValue tv && tv.TryGetValue<string>(out var t) ? t : "float32";
        if (dtype is not ("float32" or "int32"))
            throw new ModelFormatException(filePath, name, $"dtype '{dtype}' is not supported; Graft reads float32 and int32 weights.");
        if (w["quantization"] is not JsonObject q)
            return new WeightEntry(name, shape, dtype == "int32" ? StorageType.Int32 : StorageType.Float32, 0, 1);
        string qtype = q["dtype"] is JsonValue qv && qv.TryGetValue<string>(out var qs) ? qs : "";
        switch (qtype)
        {
            case "uint8" or "uint16":
                if (!TryNumber(q["min"], out var min) || !TryNumber(q["scale"], out var scale))
                    throw new ModelFormatException(filePath, name, $"{qtype} quantization needs numeric 'min' and 'scale'.");
                return new WeightEntry(name, shape, qtype == "uint8" ? StorageType.Uint8 : StorageType.Uint16, min, scale);
            case "float16":
                if (dtype != "float32")
                    throw new ModelFormatException(filePath, name, "float16 quantization applies only to float32 weights.");
                return new WeightEntry(name, shape, StorageType.Float16, 0, 1);
            default:
                throw new ModelFormatException(filePath, name, $"quantization dtype '{qtype}' is unknown. Expected uint8, uint16 or float16.");
        }
    }

    private static bool TryNumber(JsonNode? node, out double value)
    {
        value = 0;
        return node is JsonValue v && v.TryGetValue(out value) && double.IsFinite(value);
    }
}
