namespace Graft.Transfer;

/// <summary>
/// Chooses a strategy from the two measurements the classic advice turns on: how much data there is and
/// how similar its domain is to the pre-training data, measured as how well a linear probe on the
/// network's own features already does, and at which depth. Small data → no fine-tuning (it would overfit);
/// a different domain → features from an earlier layer; large data → fine-tune, more blocks when the domain
/// differs.
/// </summary>
public static class StrategyAdvisor
{
    /// <summary>Below this many training images per class, fine-tuning overfits more than it helps.</summary>
    public const int SmallPerClass = 100;
    /// <summary>A probe this good leaves little for fine-tuning to add.</summary>
    public const double AlreadyGood = 0.97;

    public sealed record Advice(Strategy Strategy, string FeatureLayer, string? UnfreezeFrom, string Reason);

    public static Advice Advise(Backbone backbone, int trainCount, int classes, IReadOnlyList<ProbeScore> probes)
    {
        var best = probes.OrderByDescending(p => p.ValidationAccuracy).ThenBy(p => p.Layer == backbone.TrunkEnd ? 0 : 1).First();
        var top = probes.First(p => p.Layer == backbone.TrunkEnd);
        bool earlierIsBetter = best.Layer != backbone.TrunkEnd && best.ValidationAccuracy > top.ValidationAccuracy + 0.01;
        int perClass = trainCount / Math.Max(1, classes);
        string probeText = string.Join(", ", probes.Select(p => $"{p.Layer} {p.ValidationAccuracy:P1}"));
        string domain = earlierIsBetter
            ? $"the domain looks different from the pre-training data: an earlier layer's features beat the last layer's ({probeText})"
            : $"the domain looks similar: the last layer's features are the best ({probeText})";
        if (perClass < SmallPerClass)
            return new Advice(Strategy.Linear, best.Layer, null,
                $"small data ({trainCount} images, {perClass} per class) and {domain}: a linear classifier on {best.Layer}'s features; fine-tuning would overfit.");
        if (best.ValidationAccuracy >= AlreadyGood)
            return new Advice(Strategy.Linear, best.Layer, null,
                $"{domain}; the linear probe already reaches {best.ValidationAccuracy:P1}, which leaves little for fine-tuning.");
        // Large data: fine-tune. With a different domain, the head reads the best probe layer and the blocks just
        // below it are fine-tuned; the upper blocks, specialised to the pre-training task, are cut away.
        string featureLayer = earlierIsBetter ? best.Layer : backbone.TrunkEnd;
        return new Advice(Strategy.FineTune, featureLayer, null,
            $"enough data ({trainCount} images, {perClass} per class) and {domain}: train a head on {featureLayer}, then fine-tune " +
            "the five blocks below it with a smaller learning rate, keeping whichever phase validates better.");
    }

    /// <summary>Layers worth probing: the trunk's end and the ends of the blocks at about ½ and ¾ of the depth.</summary>
    public static IReadOnlyList<string> ProbeCandidates(Backbone backbone)
    {
        var list = new List<string> { backbone.TrunkEnd };
        int n = backbone.Blocks.Count;
        if (n >= 4)
        {
            foreach (var f in new[] { 0.75, 0.5 })
            {
                var name = backbone.Blocks[Math.Clamp((int)Math.Round(n * f) - 1, 0, n - 1)].Last;
                if (!list.Contains(name)) list.Add(name);
            }
        }
        return list;
    }
}
