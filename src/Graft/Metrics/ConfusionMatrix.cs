namespace Graft.Metrics;

/// <summary>
/// Counts of (true class, predicted class) pairs and the metrics derived from them. Rows are true classes,
/// columns predictions, as in scikit-learn.
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly long[,] _counts;

    public ConfusionMatrix(IReadOnlyList<string> classNames)
    {
        if (classNames.Count == 0) throw new ArgumentException("A confusion matrix needs at least one class.");
        ClassNames = classNames.ToArray();
        _counts = new long[classNames.Count, classNames.Count];
    }

    public IReadOnlyList<string> ClassNames { get; }
    public int ClassCount => ClassNames.Count;
    public long this[int actual, int predicted] => _counts[actual, predicted];
    public long Total { get; private set; }

    public void Add(int actual, int predicted)
    {
        if ((uint)actual >= ClassCount || (uint)predicted >= ClassCount)
            throw new ArgumentOutOfRangeException(nameof(actual), $"Class indices must be in [0, {ClassCount}). Received: actual {actual}, predicted {predicted}.");
        _counts[actual, predicted]++;
        Total++;
    }

    public double Accuracy
    {
        get
        {
            if (Total == 0) return 0;
            long correct = 0;
            for (int i = 0; i < ClassCount; i++) correct += _counts[i, i];
            return correct / (double)Total;
        }
    }

    public long Support(int c)
    {
        long s = 0;
        for (int j = 0; j < ClassCount; j++) s += _counts[c, j];
        return s;
    }

    private long PredictedCount(int c)
    {
        long s = 0;
        for (int i = 0; i < ClassCount; i++) s += _counts[i, c];
        return s;
    }

    /// <summary>Precision, recall and F1 per class; 0 where undefined (no predictions or no samples), as scikit-learn's zero_division=0.</summary>
    public IReadOnlyList<ClassMetrics> PerClass()
    {
        var result = new ClassMetrics[ClassCount];
        for (int c = 0; c < ClassCount; c++)
        {
            long tp = _counts[c, c], predicted = PredictedCount(c), support = Support(c);
            double precision = predicted == 0 ? 0 : tp / (double)predicted;
            double recall = support == 0 ? 0 : tp / (double)support;
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            result[c] = new ClassMetrics(ClassNames[c], precision, recall, f1, support);
        }
        return result;
    }

    public double MacroF1 => PerClass().Average(m => m.F1);

    public long[][] ToArray()
    {
        var rows = new long[ClassCount][];
        for (int i = 0; i < ClassCount; i++)
        {
            rows[i] = new long[ClassCount];
            for (int j = 0; j < ClassCount; j++) rows[i][j] = _counts[i, j];
        }
        return rows;
    }
}

public sealed record ClassMetrics(string ClassName, double Precision, double Recall, double F1, long Support);
