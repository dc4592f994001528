namespace Graft.Metrics;

/// <summary>Accuracy measures over rows of class scores (probabilities or logits; only their order matters).</summary>
public static class Accuracy
{
    public static int ArgMax(ReadOnlySpan<float> scores)
    {
        int best = 0;
        for (int i = 1; i < scores.Length; i++) if (scores[i] > scores[best]) best = i;
        return best;
    }

    /// <summary>True when <paramref name="label"/> is among the <paramref name="k"/> highest scores (ties count against it).</summary>
    public static bool InTopK(ReadOnlySpan<float> scores, int label, int k)
    {
        float target = scores[label];
        int higher = 0;
        for (int i = 0; i < scores.Length; i++)
            if (scores[i] > target || (scores[i] == target && i < label)) higher++;
        return higher < k;
    }

    /// <summary>Fraction of rows whose label is in the top k.</summary>
    public static double TopK(ReadOnlySpan<float> scores, ReadOnlySpan<int> labels, int classes, int k = 1)
    {
        if (labels.Length == 0) return 0;
        int hits = 0;
        for (int i = 0; i < labels.Length; i++)
            if (InTopK(scores.Slice(i * classes, classes), labels[i], k)) hits++;
        return hits / (double)labels.Length;
    }
}
