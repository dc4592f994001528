using System.Text.RegularExpressions;
using Graft.Graph;
using Graft.Layers;

namespace Graft.Import.TfJs;

/// <summary>
/// Loads manifest weights into a model's parameters by name, with shape checks. Manifest names are matched to
/// <see cref="Parameter.FullName"/> ("conv1/kernel") after removing a TensorFlow ":0" suffix and, when needed,
/// leading scopes ("model_1/conv1/kernel"); every parameter must be filled and every weight must be used.
/// </summary>
internal static partial class WeightBinder
{
    [GeneratedRegex(@":\d+$")]
    private static partial Regex TensorSuffix();

    public static void Load(Model model, ModelArtifacts artifacts)
    {
        var byName = new Dictionary<string, Parameter>(StringComparer.Ordinal);
        foreach (var p in model.Parameters) byName[p.FullName] = p;
        var filled = new HashSet<Parameter>();

        // Resolve and check every weight before reading any shard: a naming or shape fault costs no I/O.
        var plan = artifacts.Groups.Select(g => g.Weights.Select(w => w.IsOptimizerState ? null : Resolve(w, byName, artifacts.FilePath)).ToArray()).ToArray();
        for (int g = 0; g < plan.Length; g++)
            for (int i = 0; i < plan[g].Length; i++)
            {
                if (plan[g][i] is not { } p) continue;
                var w = artifacts.Groups[g].Weights[i];
                if (!w.Shape.AsSpan().SequenceEqual(p.Shape.Dims))
                    throw new ModelFormatException(artifacts.FilePath, w.Name,
                        $"the file's shape ({string.Join(", ", w.Shape)}) does not fit layer '{p.Owner.Name}' ({p.Owner.ClassName}), whose weight '{p.Name}' has shape {p.Shape}.");
                if (!filled.Add(p))
                    throw new ModelFormatException(artifacts.FilePath, w.Name, $"a second manifest weight maps onto parameter '{p.FullName}'.");
            }
        var missing = byName.Values.Where(p => !filled.Contains(p)).ToList();
        if (missing.Count > 0)
            throw new ModelFormatException(artifacts.FilePath, missing[0].FullName,
                $"the manifest has no value for this weight{(missing.Count > 1 ? $" (nor for {missing.Count - 1} others: {string.Join(", ", missing.Skip(1).Take(5).Select(p => p.FullName))}{(missing.Count > 6 ? ", ..." : "")})" : "")}.");

        for (int g = 0; g < plan.Length; g++)
        {
            var group = artifacts.Groups[g];
            if (group.Weights.Count == 0) continue;
            var bytes = artifacts.ReadGroup(group);
            long offset = 0;
            for (int i = 0; i < group.Weights.Count; i++)
            {
                var w = group.Weights[i];
                if (plan[g][i] is { } p)
                    WeightDecoder.Decode(w, bytes.AsSpan((int)offset, (int)w.ByteLength), p.Value.Span);
                offset += w.ByteLength;
            }
        }
    }

    private static Parameter Resolve(WeightEntry w, Dictionary<string, Parameter> byName, string file)
    {
        var name = TensorSuffix().Replace(w.Name, "");
        // Drop leading scopes one at a time: nested models and TF name scopes prefix the layer's own name.
        for (var candidate = name; ; )
        {
            if (byName.TryGetValue(candidate, out var p)) return p;
            int slash = candidate.IndexOf('/');
            if (slash < 0 || candidate.IndexOf('/', slash + 1) < 0) break;
            candidate = candidate[(slash + 1)..];
        }
        throw new ModelFormatException(file, w.Name,
            "this manifest weight matches no parameter of the model (expected a name like 'layer_name/kernel' naming a layer of the topology).");
    }
}
