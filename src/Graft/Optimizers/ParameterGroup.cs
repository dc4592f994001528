using Graft.Layers;

namespace Graft.Optimizers;

/// <summary>
/// Parameters that train with their own learning-rate multiplier and weight decay, for discriminative
/// fine-tuning (a backbone at a tenth of the head's rate) or for exempting biases and normalisation weights
/// from decay. A parameter belongs to the first group whose selector accepts it, otherwise to the default group
/// (multiplier 1, the optimizer's weight decay).
/// </summary>
public sealed class ParameterGroup
{
    public ParameterGroup(string name, Func<Parameter, bool> selector, float learningRateMultiplier = 1f, float? weightDecay = null)
    {
        ArgumentNullException.ThrowIfNull(selector);
        if (!(learningRateMultiplier >= 0) || float.IsInfinity(learningRateMultiplier))
            throw new ArgumentException($"Invalid value received for argument `learningRateMultiplier` of group '{name}'. Expected a finite value ≥ 0. Received: {learningRateMultiplier}.");
        if (weightDecay is { } wd && (!(wd >= 0) || float.IsInfinity(wd)))
            throw new ArgumentException($"Invalid value received for argument `weightDecay` of group '{name}'. Expected a finite value ≥ 0. Received: {wd}.");
        Name = name;
        Selector = selector;
        LearningRateMultiplier = learningRateMultiplier;
        WeightDecay = weightDecay;
    }

    public string Name { get; }
    public Func<Parameter, bool> Selector { get; }
    public float LearningRateMultiplier { get; }
    /// <summary>The group's weight decay; null takes the optimizer's.</summary>
    public float? WeightDecay { get; }

    /// <summary>A group of the weights of the named layers.</summary>
    public static ParameterGroup ForLayers(string name, IEnumerable<string> layerNames, float learningRateMultiplier = 1f, float? weightDecay = null)
    {
        var set = new HashSet<string>(layerNames, StringComparer.Ordinal);
        return new ParameterGroup(name, p => set.Contains(p.Owner.Name), learningRateMultiplier, weightDecay);
    }

    public override string ToString() => $"{Name} (lr × {LearningRateMultiplier}, weight decay {WeightDecay?.ToString() ?? "default"})";
}
