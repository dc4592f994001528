using Graft.Models;

namespace Graft.Transfer;

public static class BackboneFromZoo
{
    /// <summary>Describes a loaded zoo model (loaded with its top, uncut) for the transfer workflow.</summary>
    public static Backbone ToBackbone(this PretrainedModel pretrained, string? name = null)
    {
        var entry = pretrained.Entry;
        var preprocessing = pretrained.Preprocessing
            ?? throw new ArgumentException($"Model '{name ?? pretrained.Model.Name}' has no known preprocessing; load it from the zoo or pass one.");
        string trunkEnd = entry?.TrunkEnd ?? pretrained.Model.Outputs[0].Name;
        int inputSize = entry?.InputSize ?? pretrained.Model.Inputs[0].Shape[0];
        var blocks = pretrained.Blocks
            .Where(b => b.Layers.Count > 0)
            .Select(b => new BackboneBlock(b.Name, b.Layers.Select(l => l.Name).ToArray()))
            .ToArray();
        return new Backbone(name ?? entry?.Name ?? pretrained.Model.Name, pretrained.Model, trunkEnd, inputSize,
            preprocessing.ToPixelMap(), preprocessing.Description, blocks)
        {
            WeightsHash = entry?.Provenance.Hash ?? "",
        };
    }
}
