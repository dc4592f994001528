using Graft.Graph;

namespace Graft.Transfer;

/// <summary>
/// What the transfer workflow needs to know of a pre-trained network: the full model, where its trunk ends,
/// its input size, the preprocessing its weights expect, and its blocks (name and last layer, input to output)
/// so that strategies can cut and unfreeze by block.
/// </summary>
public sealed record Backbone(
    string Name,
    Model Model,
    string TrunkEnd,
    int InputSize,
    Data.Preprocessing Preprocessing,
    string PreprocessingDescription,
    IReadOnlyList<BackboneBlock> Blocks)
{
    /// <summary>A hash of the weights, recorded with features so that features of different weights never mix.</summary>
    public string WeightsHash { get; init; } = "";

    /// <summary>The block a layer name or block name refers to, or null.</summary>
    public BackboneBlock? FindBlock(string name) =>
        Blocks.FirstOrDefault(b => b.Name == name) ?? Blocks.FirstOrDefault(b => b.Layers.Contains(name));
}

/// <param name="Layers">Layer names in the block, in order; the last is the block's output.</param>
public sealed record BackboneBlock(string Name, IReadOnlyList<string> Layers)
{
    public string First => Layers[0];
    public string Last => Layers[^1];
}
