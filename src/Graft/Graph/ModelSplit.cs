using Graft.Layers;

namespace Graft.Graph;

/// <summary>
/// Splits a model at a layer that every path from input to output crosses: a prefix (inputs → that layer)
/// and a tail (a new input of the layer's shape → outputs) sharing the same layers and weights. When the
/// prefix is frozen and deterministic, its outputs can be computed once per image and the tail trained on
/// them: the freeze-boundary activation cache.
/// </summary>
public static class ModelSplit
{
    public sealed record Split(Model Prefix, Model Tail, string Boundary);

    public static Split SplitAt(this Model model, string layerName)
    {
        if (model.Inputs.Count != 1) throw new InvalidOperationException("Only single-input models can be split.");
        var boundary = model.GetNode(layerName);
        var tailNodes = TailOf(model, boundary);
        foreach (var n in tailNodes)
            foreach (var i in n.Inputs)
                if (i != boundary && !tailNodes.Contains(i))
                    throw new ArgumentException($"Model '{model.Name}' cannot be split at '{layerName}': layer '{n.Name}' also reads '{i.Name}', which comes before it. Hint: split at a layer every path goes through (a block's output).");
        if (model.Outputs.Any(o => o != boundary && !tailNodes.Contains(o)))
            throw new ArgumentException($"Model '{model.Name}' cannot be split at '{layerName}': an output does not depend on it.");

        var prefix = new Model(model.Inputs, new[] { boundary }, model.Name + "_prefix");
        var input = LayerCalls.Input(boundary.Shape, layerName + "_cached");
        var map = new Dictionary<Node, Node> { [boundary] = input };
        foreach (var n in model.Nodes.Where(tailNodes.Contains))
            map[n] = n.Layer.Call(n.Inputs.Select(i => map[i]).ToArray());
        var tail = new Model(new[] { input }, model.Outputs.Select(o => map[o]).ToArray(), model.Name + "_tail");
        return new Split(prefix, tail, layerName);
    }

    /// <summary>
    /// The last layer before which everything is frozen and deterministic and through which every path passes:
    /// where the activation cache may sit. Null when even the first layer trains.
    /// </summary>
    public static string? FindFreezeBoundary(this Model model, Func<Layer, bool>? isStochastic = null)
    {
        isStochastic ??= l => l.ClassName is "Dropout" or "GaussianNoise" or "SpatialDropout2D";
        var fixedNodes = new HashSet<Node>();
        foreach (var n in model.Nodes)
        {
            bool frozen = !n.Layer.Parameters.Any(p => p.Trainable) && !isStochastic(n.Layer) && n.Inputs.All(fixedNodes.Contains);
            if (frozen) fixedNodes.Add(n);
        }
        foreach (var n in model.Nodes.Reverse())
        {
            if (!fixedNodes.Contains(n) || n.Layer is InputLayer || model.Outputs.Contains(n)) continue;
            var tail = TailOf(model, n);
            if (tail.All(t => t.Inputs.All(i => i == n || tail.Contains(i))) && model.Outputs.All(tail.Contains))
                return n.Name;
        }
        return null;
    }

    /// <summary>Nodes that depend on <paramref name="boundary"/> (not including it).</summary>
    private static HashSet<Node> TailOf(Model model, Node boundary)
    {
        var tail = new HashSet<Node>();
        foreach (var n in model.Nodes)
            if (n.Inputs.Any(i => i == boundary || tail.Contains(i))) tail.Add(n);
        return tail;
    }
}
