using Graft.Transfer.Classifiers;

namespace Graft.Transfer;

/// <summary>
/// A logistic regression on features, with its L2 strength chosen on a stratified holdout of the training
/// set (never on the validation set it is then scored on), then refitted on the whole training set.
/// </summary>
public static class LinearProbe
{
    public static readonly double[] Grid = { 0.01, 0.1, 1.0 };

    public sealed record Result(LogisticRegression Model, double C, double HoldoutAccuracy, double ValidationAccuracy);

    public static Result Fit(float[] trainX, int[] trainY, float[] valX, int[] valY, int dimension, int classes, double? c, int seed, CancellationToken cancel = default)
    {
        double chosen = c ?? ChooseC(trainX, trainY, dimension, classes, seed, out _, cancel);
        var model = new LogisticRegression { C = chosen }.Fit(trainX, trainY, dimension, classes, cancel);
        double val = valY.Length == 0 ? double.NaN : Accuracy(model.Predict(valX), valY);
        return new Result(model, chosen, double.NaN, val);
    }

    public static double ChooseC(float[] x, int[] y, int dimension, int classes, int seed, out double holdoutAccuracy, CancellationToken cancel = default)
    {
        // Every fifth image of each class, in a seeded order, is held out.
        var rng = new Random(seed);
        var order = Enumerable.Range(0, y.Length).OrderBy(_ => rng.Next()).ToArray();
        var seen = new int[classes];
        var holdout = new bool[y.Length];
        foreach (var i in order) holdout[i] = seen[y[i]]++ % 5 == 4;
        var (fx, fy) = Take(x, y, dimension, holdout, false);
        var (hx, hy) = Take(x, y, dimension, holdout, true);
        holdoutAccuracy = double.NaN;
        if (hy.Length == 0 || fy.Length == 0) return 1.0;
        double best = 1.0, bestAcc = -1;
        foreach (var c in Grid)
        {
            var m = new LogisticRegression { C = c, MaxIterations = 200 }.Fit(fx, fy, dimension, classes, cancel);
            double acc = Accuracy(m.Predict(hx), hy);
            if (acc > bestAcc + 1e-9) { bestAcc = acc; best = c; }
        }
        holdoutAccuracy = bestAcc;
        return best;
    }

    private static (float[] X, int[] Y) Take(float[] x, int[] y, int d, bool[] mask, bool value)
    {
        int n = mask.Count(m => m == value);
        var rx = new float[n * d];
        var ry = new int[n];
        int r = 0;
        for (int i = 0; i < y.Length; i++)
        {
            if (mask[i] != value) continue;
            x.AsSpan(i * d, d).CopyTo(rx.AsSpan(r * d, d));
            ry[r++] = y[i];
        }
        return (rx, ry);
    }

    public static double Accuracy(int[] predicted, int[] labels) =>
        labels.Length == 0 ? 0 : predicted.Zip(labels).Count(p => p.First == p.Second) / (double)labels.Length;
}
