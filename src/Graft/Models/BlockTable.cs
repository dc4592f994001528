using System.Collections;
using System.Text.RegularExpressions;
using Graft.Graph;
using Graft.Layers;

namespace Graft.Models;

/// <summary>A named group of consecutive layers: the unit users freeze and cut at ("block_12", "mixed7").</summary>
public sealed record Block(string Name, IReadOnlyList<Layer> Layers)
{
    /// <summary>The layer whose output is the block's output.</summary>
    public Layer Last => Layers[^1];
    public override string ToString() => $"{Name} ({Layers.Count} layers, ends at {Last.Name})";
}

/// <summary>
/// Groups a model's layers into its architecture's blocks, in order:
/// MobileNet v1 — stem, block_1 … block_13 (conv_dw_k + conv_pw_k), top;
/// MobileNetV2 — stem, block_0 (expanded_conv) … block_16, out (Conv_1 … out_relu), top;
/// InceptionV3 — stem, mixed0 … mixed10, top. Other models get one block per layer.
/// A block holds every layer its end layer depends on that no earlier block holds, so padding and
/// branch layers land where they belong whatever their names.
/// </summary>
public sealed partial class BlockTable : IReadOnlyList<Block>
{
    private readonly List<Block> _blocks;

    private BlockTable(Architecture architecture, List<Block> blocks)
    {
        Architecture = architecture;
        _blocks = blocks;
    }

    public Architecture Architecture { get; }
    public int Count => _blocks.Count;
    public Block this[int index] => _blocks[index];
    public Block this[string name] => _blocks.FirstOrDefault(b => b.Name == name)
        ?? throw new KeyNotFoundException($"No block named '{name}'. Blocks: {string.Join(", ", _blocks.Select(b => b.Name))}.");
    public IEnumerator<Block> GetEnumerator() => _blocks.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The block holding the named layer.</summary>
    public Block BlockOf(string layerName) => _blocks.FirstOrDefault(b => b.Layers.Any(l => l.Name == layerName))
        ?? throw new KeyNotFoundException($"No block holds a layer named '{layerName}'.");

    /// <summary>Freezes every layer up to and including block <paramref name="blockName"/> and makes the later ones trainable.</summary>
    public void FreezeUpTo(string blockName)
    {
        int last = _blocks.IndexOf(this[blockName]);
        for (int i = 0; i < _blocks.Count; i++)
            foreach (var l in _blocks[i].Layers) l.Trainable = i > last;
    }

    /// <summary>Detects the architecture from layer names; see <see cref="For(Model, Architecture)"/>.</summary>
    public static BlockTable For(Model model) => For(model, Detect(model));

    public static BlockTable For(Model model, Architecture architecture)
    {
        var ends = architecture switch
        {
            Architecture.MobileNetV1 => MobileNetV1Ends(model),
            Architecture.MobileNetV2 => MobileNetV2Ends(model),
            Architecture.InceptionV3 => InceptionV3Ends(model),
            _ => null,
        };
        if (ends is null)
            return new BlockTable(Architecture.Other, model.Nodes.Select(n => new Block(n.Name, new[] { n.Layer })).ToList());
        return new BlockTable(architecture, Partition(model, ends));
    }

    public static Architecture Detect(Model model) =>
        model.HasLayer("conv_dw_1") && model.HasLayer("conv_pw_1") ? Architecture.MobileNetV1
        : model.HasLayer("expanded_conv_project") || model.HasLayer("block_1_expand") ? Architecture.MobileNetV2
        : model.HasLayer("mixed0") ? Architecture.InceptionV3
        : Architecture.Other;

    /// <summary>Each block takes the not-yet-assigned ancestors of its end node; what is left after the last end is "top".</summary>
    private static List<Block> Partition(Model model, List<(string Name, IReadOnlySet<Node> Members)> ends)
    {
        var assigned = new HashSet<Node>();
        var blocks = new List<Block>();
        foreach (var (name, members) in ends)
        {
            var layers = model.Nodes.Where(n => members.Contains(n) && assigned.Add(n)).Select(n => n.Layer).ToList();
            if (layers.Count > 0) blocks.Add(new Block(name, layers));
        }
        var rest = model.Nodes.Where(n => !assigned.Contains(n)).Select(n => n.Layer).ToList();
        if (rest.Count > 0) blocks.Add(new Block("top", rest));
        return blocks;
    }

    private static IReadOnlySet<Node> Upstream(Node end)
    {
        var seen = new HashSet<Node> { end };
        var stack = new Stack<Node>();
        stack.Push(end);
        while (stack.Count > 0)
            foreach (var i in stack.Pop().Inputs)
                if (seen.Add(i)) stack.Push(i);
        return seen;
    }

    private static List<(string, IReadOnlySet<Node>)> Ends(Model model, IEnumerable<(string Block, string Layer)> ends) =>
        ends.Where(e => model.HasLayer(e.Layer)).Select(e => (e.Block, Upstream(model.GetNode(e.Layer)))).ToList();

    private static List<(string, IReadOnlySet<Node>)> MobileNetV1Ends(Model model) =>
        Ends(model, new[] { ("stem", "conv1_relu") }.Concat(Enumerable.Range(1, 13).Select(k => ($"block_{k}", $"conv_pw_{k}_relu"))));

    private static List<(string, IReadOnlySet<Node>)> MobileNetV2Ends(Model model)
    {
        var ends = new List<(string, string)> { ("stem", "Conv1_relu"), ("block_0", "expanded_conv_project_BN") };
        for (int k = 1; k <= 16; k++)
            ends.Add(($"block_{k}", model.HasLayer($"block_{k}_add") ? $"block_{k}_add" : $"block_{k}_project_BN"));
        ends.Add(("out", "out_relu"));
        return Ends(model, ends);
    }

    [GeneratedRegex(@"^mixed(\d+)$")]
    private static partial Regex MixedName();

    private static List<(string, IReadOnlySet<Node>)> InceptionV3Ends(Model model)
    {
        var mixed = model.Nodes.Select(n => (Node: n, M: MixedName().Match(n.Name))).Where(x => x.M.Success)
            .OrderBy(x => int.Parse(x.M.Groups[1].Value)).Select(x => x.Node).ToList();
        var result = new List<(string, IReadOnlySet<Node>)>();
        if (mixed.Count == 0) return result;
        // The stem is what every branch of the first mixed block shares: the intersection of their ancestors.
        IEnumerable<Node> stem = Upstream(mixed[0].Inputs[0]);
        foreach (var branch in mixed[0].Inputs.Skip(1)) stem = stem.Intersect(Upstream(branch));
        result.Add(("stem", stem.ToHashSet()));
        foreach (var m in mixed) result.Add((m.Name, Upstream(m)));
        return result;
    }
}
