using System.Text.Json;
using System.Text.Json.Nodes;
using Graft.Saving;
using Graft.Training;
using Graft.Transfer;

namespace Graft.Cli;

/// <summary>The stable `--json` output of train and evaluate (documented in docs/cli.md).</summary>
internal static class MetricsJson
{
    public const int Version = 1;

    public static JsonObject Evaluation(Evaluation e) => new()
    {
        ["accuracy"] = e.Accuracy,
        ["loss"] = e.Loss,
        ["images"] = e.Labels.Length,
        ["classes"] = new JsonArray(e.ClassNames.Select(c => (JsonNode)c).ToArray()),
        ["per_class"] = new JsonArray(e.Confusion.PerClass().Select(m => (JsonNode)new JsonObject
        {
            ["class"] = m.ClassName, ["precision"] = m.Precision, ["recall"] = m.Recall, ["f1"] = m.F1, ["support"] = m.Support,
        }).ToArray()),
        ["confusion_matrix"] = new JsonArray(e.Confusion.ToArray().Select(row => (JsonNode)new JsonArray(row.Select(v => (JsonNode)v).ToArray())).ToArray()),
    };

    public static void Write(string path, TransferResult r)
    {
        var doc = new JsonObject
        {
            ["format_version"] = Version,
            ["model"] = r.Backbone.Name,
            ["strategy"] = r.Strategy.ToString().ToLowerInvariant(),
            ["feature_layer"] = r.FeatureLayer,
            ["reason"] = r.Reason,
            ["validation"] = Evaluation(r.Validation),
            ["probes"] = new JsonArray(r.Probes.Select(p => (JsonNode)new JsonObject { ["layer"] = p.Layer, ["dimension"] = p.Dimension, ["accuracy"] = p.ValidationAccuracy, ["c"] = p.C }).ToArray()),
            ["history"] = new JsonArray(r.History.Select(h => (JsonNode)new JsonObject(h.Logs.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value)))
            {
                ["epoch"] = h.Epoch + 1, ["phase"] = h.Phase,
            }).ToArray()),
            ["timings_seconds"] = new JsonObject(r.Timings.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
            ["notes"] = new JsonArray(r.Notes.Select(n => (JsonNode)n).ToArray()),
        };
        AtomicFile.WriteAllText(path, doc.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }
}
