using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;

namespace Graft.Tests.Import;

/// <summary>
/// Writes small TensorFlow.js layers models into a temporary folder: a Dense → Activation → Dense network
/// with known weights, in either packaging, so tests can load them and then break them on purpose.
/// </summary>
public sealed class TfJsFixture : IDisposable
{
    public TfJsFixture()
    {
        Folder = Path.Combine(Path.GetTempPath(), "graft-tfjs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
    }

    public string Folder { get; }
    public string ModelJson => Path.Combine(Folder, "model.json");

    /// <summary>Deterministic weights: value i of weight w is (w+1) * 0.01 * ((i % 7) - 3).</summary>
    public static float[] Values(int weightIndex, int count) =>
        Enumerable.Range(0, count).Select(i => (weightIndex + 1) * 0.01f * ((i % 7) - 3)).ToArray();

    public static JsonObject Layer(string cls, string name, JsonObject config, params string[] inbound)
    {
        config["name"] = name;
        var nodes = new JsonArray();
        if (inbound.Length > 0)
            nodes.Add(new JsonArray(inbound.Select(i => (JsonNode)new JsonArray(i, 0, 0, new JsonObject())).ToArray()));
        return new JsonObject { ["class_name"] = cls, ["name"] = name, ["config"] = config, ["inbound_nodes"] = nodes };
    }

    /// <summary>input (4) → dense_a (5, relu) → act (tanh) → dense_b (3) → softmax.</summary>
    public static JsonObject Topology(params JsonObject[] extraLayers)
    {
        var layers = new JsonArray
        {
            Layer("InputLayer", "input_1", new JsonObject { ["batch_input_shape"] = new JsonArray(null, 4), ["dtype"] = "float32" }),
            Layer("Dense", "dense_a", new JsonObject { ["units"] = 5, ["activation"] = "relu", ["use_bias"] = true, ["trainable"] = false }, "input_1"),
            Layer("Activation", "act", new JsonObject { ["activation"] = "tanh" }, "dense_a"),
            Layer("Dense", "dense_b", new JsonObject { ["units"] = 3, ["activation"] = "linear", ["use_bias"] = true }, "act"),
            Layer("Activation", "softmax", new JsonObject { ["activation"] = "softmax" }, "dense_b"),
        };
        foreach (var e in extraLayers) layers.Add(e);
        return new JsonObject
        {
            ["keras_version"] = "2.2.4",
            ["backend"] = "tensorflow",
            ["model_config"] = new JsonObject
            {
                ["class_name"] = "Model",
                ["config"] = new JsonObject
                {
                    ["name"] = "tiny",
                    ["layers"] = layers,
                    ["input_layers"] = new JsonArray(new JsonArray("input_1", 0, 0)),
                    ["output_layers"] = new JsonArray(new JsonArray("softmax", 0, 0)),
                },
            },
        };
    }

    public static (string Name, int[] Shape)[] Weights =>
    [
        ("dense_a/kernel", [4, 5]), ("dense_a/bias", [5]), ("dense_b/kernel", [5, 3]), ("dense_b/bias", [3]),
    ];

    /// <summary>Encodes the weights as one group split over two shards, with an optional quantization.</summary>
    public void WriteFolder(JsonObject? topology = null, string storage = "float32", Func<string, string>? rename = null)
    {
        var (manifest, bytes) = Encode(storage, rename);
        int half = bytes.Length / 2;
        File.WriteAllBytes(Path.Combine(Folder, "group1-shard1of2.bin"), bytes[..half]);
        File.WriteAllBytes(Path.Combine(Folder, "group1-shard2of2.bin"), bytes[half..]);
        manifest["paths"] = new JsonArray("group1-shard1of2.bin", "group1-shard2of2.bin");
        var root = new JsonObject
        {
            ["format"] = "layers-model",
            ["generatedBy"] = "Graft tests",
            ["modelTopology"] = topology ?? Topology(),
            ["weightsManifest"] = new JsonArray(manifest),
        };
        File.WriteAllText(ModelJson, root.ToJsonString());
    }

    /// <summary>Writes the nsfwjs packaging: minified-JS literal in model.min.js, base64 in the shard module.</summary>
    public void WritePackaged(string storage = "uint8")
    {
        var (manifest, bytes) = Encode(storage, null);
        manifest["paths"] = new JsonArray("group1-shard1of1");
        var root = new JsonObject { ["modelTopology"] = Topology(), ["weightsManifest"] = new JsonArray(manifest) };
        File.WriteAllText(Path.Combine(Folder, "model.min.js"), Wrap("model", "a", Minify(root)));
        File.WriteAllText(Path.Combine(Folder, "group1-shard1of1.min.js"), Wrap("group1_shard1of1", "h", "\"" + Convert.ToBase64String(bytes) + "\""));
    }

    /// <summary>A browserify standalone bundle around one module that exports <paramref name="literal"/>.</summary>
    public static string Wrap(string global, string moduleVar, string literal) =>
        "!function(e){if(\"object\"==typeof exports&&\"undefined\"!=typeof module)module.exports=e();else{(\"undefined\"!=typeof window?window:this)." + global +
        "=e()}}(function(){return function e(a,n,i){function l(_,o){var r=n[_]={exports:{}};return a[_][0].call(r.exports,function(e){return l(e)},r,r.exports,e,a,n,i),n[_].exports}return l}({1:[function(e," +
        moduleVar + ",n){" + moduleVar + ".exports=" + literal + "},{}]},{},[1])(1)});";

    /// <summary>Writes JSON as a minifier writes a JS literal: bare keys, !0/!1, numbers without leading zero.</summary>
    public static string Minify(JsonNode? node)
    {
        switch (node)
        {
            case null: return "null";
            case JsonObject o:
                return "{" + string.Join(",", o.Select(kv => (IsIdentifier(kv.Key) ? kv.Key : JsonValue.Create(kv.Key)!.ToJsonString()) + ":" + Minify(kv.Value))) + "}";
            case JsonArray a:
                return "[" + string.Join(",", a.Select(Minify)) + "]";
            default:
                var v = (JsonValue)node;
                if (v.TryGetValue<bool>(out var b)) return b ? "!0" : "!1";
                var text = v.ToJsonString();
                if (text.StartsWith("0.", StringComparison.Ordinal)) return text[1..];
                if (text.StartsWith("-0.", StringComparison.Ordinal)) return "-" + text[2..];
                return text;
        }
    }

    private static bool IsIdentifier(string s) => s.Length > 0 && !char.IsAsciiDigit(s[0]) && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '$');

    private static (JsonObject Manifest, byte[] Bytes) Encode(string storage, Func<string, string>? rename)
    {
        var entries = new JsonArray();
        var bytes = new List<byte>();
        for (int w = 0; w < Weights.Length; w++)
        {
            var (name, shape) = Weights[w];
            var values = Values(w, shape.Aggregate(1, (a, d) => a * d));
            var entry = new JsonObject { ["name"] = rename?.Invoke(name) ?? name, ["shape"] = new JsonArray(shape.Select(d => (JsonNode)d).ToArray()), ["dtype"] = "float32" };
            switch (storage)
            {
                case "float32":
                    foreach (var v in values) { var b = new byte[4]; BinaryPrimitives.WriteSingleLittleEndian(b, v); bytes.AddRange(b); }
                    break;
                case "float16":
                    entry["quantization"] = new JsonObject { ["dtype"] = "float16" };
                    foreach (var v in values) { var b = new byte[2]; BinaryPrimitives.WriteHalfLittleEndian(b, (Half)v); bytes.AddRange(b); }
                    break;
                case "uint8" or "uint16":
                    int levels = storage == "uint8" ? 255 : 65535;
                    float min = values.Min(), max = values.Max();
                    double scale = (max - min) / levels;
                    entry["quantization"] = new JsonObject { ["dtype"] = storage, ["min"] = min, ["scale"] = scale };
                    foreach (var v in values)
                    {
                        int q = (int)Math.Round((v - min) / scale);
                        if (storage == "uint8") bytes.Add((byte)q);
                        else { var b = new byte[2]; BinaryPrimitives.WriteUInt16LittleEndian(b, (ushort)q); bytes.AddRange(b); }
                    }
                    break;
                default: throw new ArgumentException(storage);
            }
            entries.Add(entry);
        }
        return (new JsonObject { ["weights"] = entries }, bytes.ToArray());
    }

    public JsonObject ReadRoot() => (JsonObject)JsonNode.Parse(File.ReadAllText(ModelJson))!;
    public void WriteRoot(JsonObject root) => File.WriteAllText(ModelJson, root.ToJsonString());

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}
