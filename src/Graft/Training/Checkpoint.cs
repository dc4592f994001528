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
    public sealed record State(int NextEpoch, IReadOnlyList<EpochEntry> History, bool Stopped);

    public static void Save(string path, Model model, Optimizer optimizer, int nextEpoch, IReadOnlyList<EpochEntry> history, IReadOnlyList<Callback>? callbacks = null, bool stopped = false)
    {
        var entries = model.Parameters.Select(p => new SafeTensorsFile.Entry("weights/" + p.FullName, p.Shape.ToArray(), p.Value.ToArray()))
            .Concat(optimizer.GetState().Select(kv => new SafeTensorsFile.Entry("optimizer/" + kv.Key, new[] { kv.Value.Length }, kv.Value)))
            .Concat(CallbackStates(callbacks).Select(kv => new SafeTensorsFile.Entry(kv.Key, new[] { kv.Value.Length }, kv.Value)));
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
            ["stopped"] = stopped,
            ["optimizer"] = optimizer.GetType().Name,
            ["history"] = hist,
        };
        SafeTensorsFile.Write(path, entries, new Dictionary<string, string> { ["graft"] = meta.ToJsonString() });
    }

    public static State Load(string path, Model model, Optimizer optimizer, IReadOnlyList<Callback>? callbacks = null)
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
        for (int i = 0; i < (callbacks?.Count ?? 0); i++)
        {
            if (callbacks![i] is not IStatefulCallback stateful) continue;
            string prefix = $"callback{i}/";
            var own = tensors.Where(t => t.Name.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(t => t.Name[prefix.Length..], t => t.Data, StringComparer.Ordinal);
            if (own.Count == 0) throw new FormatException($"{path}: the checkpoint has no state for callback {i} ({callbacks[i].GetType().Name}); it was written by a run with other callbacks.");
            stateful.LoadState(own);
        }
        var history = (meta["history"] as JsonArray ?? new JsonArray()).Select(n =>
        {
            var logs = new EpochLogs();
            foreach (var (k, v) in n!["logs"]!.AsObject()) logs[k] = v!.GetValue<double>();
            return new EpochEntry(n["epoch"]!.GetValue<int>(), n["phase"]!.GetValue<string>(), logs);
        }).ToArray();
        return new State(meta["next_epoch"]!.GetValue<int>(), history, meta["stopped"]?.GetValue<bool>() ?? false);
    }

    private static Dictionary<string, float[]> CallbackStates(IReadOnlyList<Callback>? callbacks)
    {
        var all = new Dictionary<string, float[]>(StringComparer.Ordinal);
        for (int i = 0; i < (callbacks?.Count ?? 0); i++)
        {
            if (callbacks![i] is not IStatefulCallback stateful) continue;
            var own = new Dictionary<string, float[]>(StringComparer.Ordinal);
            stateful.SaveState(own);
            foreach (var (k, v) in own) all[$"callback{i}/{k}"] = v;
        }
        return all;
    }
}
