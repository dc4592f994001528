using System.Text.Json;
using System.Text.Json.Nodes;
using Graft.Graph;
using Graft.Layers;

namespace Graft.Saving;

/// <summary>
/// A model's architecture as JSON in Keras's vocabulary: each layer's class name, name, trainable flag,
/// config (from <see cref="Layer.WriteConfig"/>) and the names of its inputs. Rebuilt through
/// <see cref="LayerRegistry"/>, so only registered layer classes can come back: nothing in the file runs.
/// </summary>
public static class ArchitectureJson
{
    public const string Format = "graft-architecture";

    public static JsonObject ToJson(Model model)
    {
        var layers = new JsonArray();
        foreach (var node in model.Nodes)
        {
            var config = new JsonObject();
            node.Layer.WriteConfig(config);
            layers.Add(new JsonObject
            {
                ["class_name"] = node.Layer.ClassName,
                ["name"] = node.Name,
                ["trainable"] = node.Layer.Trainable,
                ["config"] = config,
                ["inbound"] = new JsonArray(node.Inputs.Select(i => (JsonNode)i.Name).ToArray()),
            });
        }
        return new JsonObject
        {
            ["format"] = Format,
            ["version"] = 1,
            ["name"] = model.Name,
            ["layers"] = layers,
            ["inputs"] = new JsonArray(model.Inputs.Select(i => (JsonNode)i.Name).ToArray()),
            ["outputs"] = new JsonArray(model.Outputs.Select(o => (JsonNode)o.Name).ToArray()),
        };
    }

    public static Model FromJson(JsonObject json, string source)
    {
        if (json["format"]?.GetValue<string>() != Format)
            throw new FormatException($"{source}: not a Graft architecture file (format field is not '{Format}').");
        if (json["layers"] is not JsonArray layers)
            throw new FormatException($"{source}: the 'layers' list is missing.");
        var nodes = new Dictionary<string, Node>(StringComparer.Ordinal);
        foreach (var item in layers)
        {
            if (item is not JsonObject l) throw new FormatException($"{source}: a layer entry is not an object.");
            string cls = l["class_name"]?.GetValue<string>() ?? throw new FormatException($"{source}: a layer has no class_name.");
            string name = l["name"]?.GetValue<string>() ?? throw new FormatException($"{source}: a {cls} layer has no name.");
            var config = l["config"] as JsonObject ?? new JsonObject();
            var layer = LayerRegistry.Create(cls, name, (JsonObject)config.DeepClone());
            layer.Trainable = l["trainable"]?.GetValue<bool>() ?? true;
            var inbound = (l["inbound"] as JsonArray ?? new JsonArray()).Select(n =>
            {
                string input = n?.GetValue<string>() ?? "";
                return nodes.TryGetValue(input, out var node) ? node
                    : throw new FormatException($"{source}: layer '{name}' takes input '{input}', which is not defined before it.");
            }).ToArray();
            if (!nodes.TryAdd(name, layer is InputLayer input0 ? new Node(input0, Array.Empty<Node>()) : layer.Call(inbound)))
                throw new FormatException($"{source}: two layers are named '{name}'.");
        }
        Node Lookup(JsonNode? n) => nodes.TryGetValue(n?.GetValue<string>() ?? "", out var node) ? node
            : throw new FormatException($"{source}: model input/output '{n}' is not a layer.");
        var inputs = (json["inputs"] as JsonArray ?? new JsonArray()).Select(Lookup).ToArray();
        var outputs = (json["outputs"] as JsonArray ?? new JsonArray()).Select(Lookup).ToArray();
        return new Model(inputs, outputs, json["name"]?.GetValue<string>());
    }

    public static JsonObject Parse(string text, string source)
    {
        try
        {
            return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 64 }) as JsonObject
                ?? throw new FormatException($"{source}: the architecture is not a JSON object.");
        }
        catch (JsonException e) { throw new FormatException($"{source}: invalid JSON: {e.Message}"); }
    }
}
