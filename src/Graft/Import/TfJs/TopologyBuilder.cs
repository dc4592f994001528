using System.Text.Json.Nodes;
using Graft.Graph;
using Graft.Layers;

namespace Graft.Import.TfJs;

/// <summary>
/// Builds a Graft <see cref="Model"/> from a Keras model config (functional "Model"/"Functional" or
/// "Sequential", Keras 2 or Keras 3 node format): each layer through <see cref="LayerRegistry"/>, its
/// inbound nodes wired with <see cref="LayerCalls.Call(Layer, Node[])"/>, its trainable flag kept.
/// </summary>
internal sealed class TopologyBuilder
{
    private readonly string _file;
    private readonly Dictionary<string, Node> _nodes = new(StringComparer.Ordinal);

    private TopologyBuilder(string file) => _file = file;

    public static Model Build(JsonObject root, string filePath)
    {
        var topology = root["modelTopology"] as JsonObject
            ?? throw new ModelFormatException(filePath, null, "'modelTopology' is missing; this is not a TensorFlow.js layers model.");
        // tfjs writes the Keras config under model_config; Keras's own to_json puts class_name at the top.
        var modelConfig = topology["model_config"] as JsonObject ?? (topology.ContainsKey("class_name") ? topology : null)
            ?? throw new ModelFormatException(filePath, null, "'modelTopology' holds no model config (expected 'model_config' with 'class_name' and 'config').");
        return new TopologyBuilder(filePath).BuildModel(modelConfig);
    }

    private Model BuildModel(JsonObject modelConfig)
    {
        string cls = Str(modelConfig["class_name"]) ?? "";
        var config = modelConfig["config"];
        switch (cls)
        {
            case "Model" or "Functional":
                return BuildFunctional(config as JsonObject ?? throw Fail(null, "the model's 'config' must be an object."));
            case "Sequential":
                return BuildSequential(config);
            default:
                throw Fail(null, $"model class '{cls}' is not supported. Expected Model, Functional or Sequential.");
        }
    }

    private Model BuildFunctional(JsonObject config)
    {
        var layers = config["layers"] as JsonArray ?? throw Fail(null, "the model config has no 'layers' list.");
        var pending = new List<(JsonObject Json, string Name, List<string> Inbound)>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var l in layers)
        {
            var json = l as JsonObject ?? throw Fail(null, "every entry of 'layers' must be an object.");
            var name = LayerName(json);
            if (!names.Add(name)) throw Fail(name, "two layers have this name; layer names must be unique.");
            pending.Add((json, name, InboundNames(json, name)));
        }
        // Keras writes layers in topological order, but nothing in the format requires it: resolve in passes.
        while (pending.Count > 0)
        {
            int before = pending.Count;
            for (int i = 0; i < pending.Count; i++)
            {
                var (json, name, inbound) = pending[i];
                if (!inbound.All(_nodes.ContainsKey)) continue;
                _nodes[name] = CreateNode(json, name, inbound.Select(n => _nodes[n]).ToArray());
                pending.RemoveAt(i--);
            }
            if (pending.Count == before)
            {
                var (_, name, inbound) = pending[0];
                var missing = inbound.First(n => !_nodes.ContainsKey(n));
                throw Fail(name, names.Contains(missing)
                    ? $"its input '{missing}' is part of a cycle; a model must be acyclic."
                    : $"its input '{missing}' is not a layer of this model.");
            }
        }
        var inputs = EndPoints(config["input_layers"], "input_layers");
        var outputs = EndPoints(config["output_layers"], "output_layers");
        return NewModel(inputs, outputs, Str(config["name"]));
    }

    private Model BuildSequential(JsonNode? config)
    {
        // Keras 2.0 wrote Sequential's config as a bare list of layers; later versions wrap it in {name, layers}.
        var layers = (config as JsonArray ?? (config as JsonObject)?["layers"] as JsonArray)
            ?? throw Fail(null, "the Sequential config has no 'layers' list.");
        string? modelName = (config as JsonObject)?["name"] is { } n ? Str(n) : null;
        if (layers.Count == 0) throw Fail(null, "the Sequential model has no layers.");
        var first = layers[0] as JsonObject ?? throw Fail(null, "every entry of 'layers' must be an object.");
        Node input;
        int start;
        if (Str(first["class_name"]) == "InputLayer")
        {
            input = CreateNode(first, LayerName(first), Array.Empty<Node>());
            start = 1;
        }
        else
        {
            var cfg = first["config"] as JsonObject ?? throw Fail(LayerName(first), "the layer has no 'config'.");
            var lc = new LayerConfig("InputLayer", LayerName(first) + "_input", cfg);
            input = LayerCalls.Input(Wrap(LayerName(first), "InputLayer", () => InputLayer.ShapeFromConfig(lc)), lc.Name);
            start = 0;
        }
        var x = ChainSequential(layers, start, input);
        return NewModel(new[] { input }, new[] { x }, modelName);
    }

    private Node ChainSequential(JsonArray layers, int start, Node x)
    {
        for (int i = start; i < layers.Count; i++)
        {
            var json = layers[i] as JsonObject ?? throw Fail(null, "every entry of 'layers' must be an object.");
            var name = LayerName(json);
            if (_nodes.ContainsKey(name)) throw Fail(name, "two layers have this name; layer names must be unique.");
            x = _nodes[name] = CreateNode(json, name, new[] { x });
        }
        return x;
    }

    private Node CreateNode(JsonObject json, string name, Node[] inputs)
    {
        string cls = Str(json["class_name"]) ?? throw Fail(name, "the layer has no 'class_name'.");
        var config = json["config"] as JsonObject ?? throw Fail(name, $"the {cls} layer has no 'config' object.");
        if (cls is "Sequential")
        {
            // A nested Sequential is a chain; flattening it keeps every layer's own name (and weight names).
            if (inputs.Length != 1) throw Fail(name, "a nested Sequential model must have exactly one input.");
            var inner = config["layers"] as JsonArray ?? throw Fail(name, "the nested Sequential has no 'layers' list.");
            int start = inner.Count > 0 && inner[0] is JsonObject f && Str(f["class_name"]) == "InputLayer" ? 1 : 0;
            return ChainSequential(inner, start, inputs[0]);
        }
        if (cls is "Model" or "Functional")
            throw Fail(name, $"the layer is a nested {cls} model; Graft imports flat models and nested Sequential ones only. Hint: flatten the model in Keras before converting it.");
        CheckDtype(name, config);
        if (cls == "InputLayer")
        {
            var lc = new LayerConfig(cls, name, config);
            return LayerCalls.Input(Wrap(name, cls, () => InputLayer.ShapeFromConfig(lc)), name);
        }
        var layer = Wrap(name, cls, () => LayerRegistry.Create(cls, name, config));
        if (config["trainable"] is JsonValue tv && tv.TryGetValue<bool>(out var trainable)) layer.Trainable = trainable;
        return Wrap(name, cls, () => layer.Call(ConstantRandom.Instance, inputs));
    }

    private void CheckDtype(string name, JsonObject config)
    {
        // Graft computes in float32; float policies (float16, mixed) run in float32 too, other dtypes cannot.
        var dtype = config["dtype"] switch
        {
            JsonValue v => Str(v),
            JsonObject policy => Str((policy["config"] as JsonObject)?["name"]),
            _ => null,
        };
        if (dtype is not null && !dtype.Contains("float", StringComparison.Ordinal))
            throw Fail(name, $"dtype '{dtype}' is not supported; Graft layers compute in float32.");
    }

    /// <summary>Names of the layers feeding this one: Keras 2 [[[name, node, tensor, kwargs], ...]] or Keras 3 [{args, kwargs}].</summary>
    private List<string> InboundNames(JsonObject json, string name)
    {
        var result = new List<string>();
        if (json["inbound_nodes"] is not JsonArray calls || calls.Count == 0) return result;
        if (calls.Count > 1)
            throw Fail(name, $"the layer is called {calls.Count} times (a shared layer); Graft needs one call per layer.");
        switch (calls[0])
        {
            case JsonArray keras2:
                foreach (var t in keras2)
                {
                    if (t is not JsonArray ref2 || ref2.Count < 3 || Str(ref2[0]) is not { } src)
                        throw Fail(name, $"inbound node {t?.ToJsonString() ?? "null"} must be [layer_name, node_index, tensor_index, kwargs].");
                    CheckIndices(name, src, ref2[1], ref2[2]);
                    result.Add(src);
                }
                break;
            case JsonObject keras3:
                CollectHistories(keras3["args"], name, result, 0);
                break;
            default:
                throw Fail(name, "'inbound_nodes' must list calls as arrays (Keras 2) or {args, kwargs} objects (Keras 3).");
        }
        return result;
    }

    private void CollectHistories(JsonNode? node, string name, List<string> result, int depth)
    {
        if (node is JsonArray arr)
            foreach (var e in arr) CollectHistories(e, name, result, depth + 1);
        else if (node is JsonObject o && (o["config"] as JsonObject)?["keras_history"] is JsonArray h)
        {
            if (h.Count < 3 || Str(h[0]) is not { } src) throw Fail(name, $"keras_history {h.ToJsonString()} must be [layer_name, node_index, tensor_index].");
            CheckIndices(name, src, h[1], h[2]);
            result.Add(src);
        }
    }

    private void CheckIndices(string name, string src, JsonNode? nodeIndex, JsonNode? tensorIndex)
    {
        if (Int(nodeIndex) != 0 || Int(tensorIndex) != 0)
            throw Fail(name, $"it takes output {Int(tensorIndex)} of call {Int(nodeIndex)} of '{src}'; Graft layers are called once and have one output.");
    }

    private List<Node> EndPoints(JsonNode? list, string key)
    {
        if (list is not JsonArray arr || arr.Count == 0) throw Fail(null, $"the model config has no '{key}'.");
        // Keras 3 writes a single end point unnested: ["name", 0, 0].
        IEnumerable<JsonNode?> refs = arr[0] is JsonValue ? new JsonNode?[] { arr } : arr;
        var result = new List<Node>();
        foreach (var r in refs)
        {
            var name = (r as JsonArray) is { Count: >= 1 } ra ? Str(ra[0]) : null;
            if (name is null || !_nodes.TryGetValue(name, out var node))
                throw Fail(name, $"'{key}' names {r?.ToJsonString() ?? "null"}, which is not a layer of this model.");
            result.Add(node);
        }
        return result;
    }

    private Model NewModel(IReadOnlyList<Node> inputs, IReadOnlyList<Node> outputs, string? name) =>
        Wrap(null, null, () => new Model(inputs, outputs, name));

    private T Wrap<T>(string? layer, string? cls, Func<T> f)
    {
        try
        {
            return f();
        }
        catch (Exception e) when (e is NotSupportedException or FormatException or ArgumentException or InvalidOperationException or KeyNotFoundException)
        {
            throw Fail(layer, (cls is null ? "" : $"({cls}) ") + e.Message, e);
        }
    }

    private string LayerName(JsonObject json) =>
        Str(json["name"]) ?? Str((json["config"] as JsonObject)?["name"]) ?? throw Fail(null, "a layer has no 'name'.");

    private static string? Str(JsonNode? n) => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static int? Int(JsonNode? n) => n is JsonValue v && v.TryGetValue<int>(out var i) ? i : null;

    private ModelFormatException Fail(string? layer, string reason, Exception? inner = null) => new(_file, layer, reason, inner);
}
