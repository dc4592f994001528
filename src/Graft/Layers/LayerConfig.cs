using System.Text.Json.Nodes;

namespace Graft.Layers;

/// <summary>
/// Typed, checked access to a layer's config (Keras's vocabulary), shared by the importer and saved models.
/// Every error names the layer and the field.
/// </summary>
public sealed class LayerConfig
{
    public LayerConfig(string className, string name, JsonObject config)
    {
        ClassName = className;
        Name = name;
        Json = config;
    }

    public string ClassName { get; }
    public string Name { get; }
    public JsonObject Json { get; }

    public bool Has(string key) => Json.TryGetPropertyValue(key, out var v) && v is not null;

    public string GetString(string key, string? fallback = null)
    {
        if (Json.TryGetPropertyValue(key, out var v) && v is JsonValue jv && jv.TryGetValue<string>(out var s)) return s;
        return fallback ?? throw Error(key, "a string");
    }

    public int GetInt(string key, int? fallback = null)
    {
        if (Json.TryGetPropertyValue(key, out var v) && v is JsonValue jv)
        {
            if (jv.TryGetValue<int>(out var i)) return i;
            if (jv.TryGetValue<double>(out var d) && d == Math.Floor(d) && Math.Abs(d) < int.MaxValue) return (int)d;
        }
        return fallback ?? throw Error(key, "an integer");
    }

    public float GetFloat(string key, float? fallback = null)
    {
        if (Json.TryGetPropertyValue(key, out var v) && v is JsonValue jv && jv.TryGetValue<double>(out var d)) return (float)d;
        return fallback ?? throw Error(key, "a number");
    }

    public float? GetFloatOrNull(string key) =>
        Json.TryGetPropertyValue(key, out var v) && v is JsonValue jv && jv.TryGetValue<double>(out var d) ? (float)d : null;

    public bool GetBool(string key, bool? fallback = null)
    {
        if (Json.TryGetPropertyValue(key, out var v) && v is JsonValue jv && jv.TryGetValue<bool>(out var b)) return b;
        return fallback ?? throw Error(key, "true or false");
    }

    /// <summary>Reads an integer or a list of integers (Keras allows kernel_size: 3 or [3, 3]).</summary>
    public int[] GetInts(string key, int count, int[]? fallback = null)
    {
        if (Json.TryGetPropertyValue(key, out var v) && v is not null)
        {
            if (v is JsonValue jv && jv.TryGetValue<int>(out var single)) return Enumerable.Repeat(single, count).ToArray();
            if (v is JsonArray arr && arr.Count == count && arr.All(e => e is JsonValue ev && ev.TryGetValue<int>(out _)))
                return arr.Select(e => e!.GetValue<int>()).ToArray();
            throw Error(key, count == 1 ? "an integer" : $"an integer or a list of {count} integers");
        }
        return fallback ?? throw Error(key, "an integer list");
    }

    public FormatException Error(string key, string expected) =>
        new($"Layer '{Name}' ({ClassName}): config field '{key}' must be {expected}. Received: {(Json.TryGetPropertyValue(key, out var v) ? v?.ToJsonString() ?? "null" : "nothing")}.");
}
