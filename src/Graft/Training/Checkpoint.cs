using System.Text.Json;
using System.Text.Json.Nodes;
using Graft.Graph;
using Graft.Optimizers;
using Graft.Saving;
using Graft.Training.Callbacks;

namespace Graft.Training;

/// <summary>
/// A training run's state after an epoch — every weight (BatchNorm statistics included), the optimizer's
/// state, the next epoch and the history so far — in one safetensors file, written atomically so that a
/// kill leaves the previous checkpoint intact. With the data order and dropout masks a function of
/// (seed, epoch, step), resuming from it gives the weights of an uninterrupted run.
/// </summary>
public static class Checkpoint
{
    public sealed record State(int NextEpoch, IReadOnlyList<EpochEntry> History);

    public static void Save(string path, Model model, Optimizer optimizer, int nextEpoch, IReadOnlyList<EpochEntry> history)
    {
        var entries = model.Parameters.Select(p => new SafeTensorsFile.Entry("weights/" + p.FullName, p.Shape.ToArray(), p.Value.ToArray()))
            .Concat(optimizer.GetState().Select(kv => new SafeTensorsFile.Entry("optimizer/" + kv.Key, new[] { kv.Value.Length }, kv.Value)));
        var hist = new JsonArray(history.Select(e => (JsonNode)new JsonObject
        {
            ["epoch"] = e.Epoch,
            ["phase"] = e.Phase,
            ["logs"] = new JsonObject(e.Logs.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
        }).ToArray());
        var meta = new JsonObject
        {
            ["format"] = "graft-checkpoint",
            ["next_epoch"] = nextEpoch,
            ["optimizer"] = optimizer.GetType().Name,
            ["history"] = hist,
        };
        SafeTensorsFile.Write(path, entries, new Dictionary<string, string> { ["graft"] = meta.ToJsonString() });
    }

    public static State Load(string path, Model model, Optimizer optimizer)
    {
        var (tensors, metadata) = SafeTensorsFile.Read(path);
        if (!metadata.TryGetValue("graft", out var text) || JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 16 }) is not JsonObject meta
            || meta["format"]?.GetValue<string>() != "graft-checkpoint")
            throw new FormatException($"{path}: not a Graft training checkpoint.");
        if (meta["optimizer"]?.GetValue<string>() != optimizer.GetType().Name)
            throw new FormatException($"{path}: the checkpoint was written by {meta["optimizer"]} but this run uses {optimizer.GetType().Name}.");
        var byName = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        foreach (var p in model.Parameters)
        {
            if (!byName.TryGetValue("weights/" + p.FullName, out var t) || t.Data.Length != p.Shape.Size)
                throw new FormatException($"{path}: the checkpoint has no weight '{p.FullName}' of shape {p.Shape}; it belongs to another model.");
            t.Data.CopyTo(p.Value.Span);
        }
        optimizer.LoadState(tensors.Where(t => t.Name.StartsWith("optimizer/", StringComparison.Ordinal))
            .ToDictionary(t => t.Name["optimizer/".Length..], t => t.Data, StringComparer.Ordinal));
        var history = (meta["history"] as JsonArray ?? new JsonArray()).Select(n =>
        {
            var logs = new EpochLogs();
            foreach (var (k, v) in n!["logs"]!.AsObject()) logs[k] = v!.GetValue<double>();
            return new EpochEntry(n["epoch"]!.GetValue<int>(), n["phase"]!.GetValue<string>(), logs);
        }).ToArray();
        return new State(meta["next_epoch"]!.GetValue<int>(), history);
    }
}
