using Graft.Transfer.Classifiers;

namespace Graft.Tests.Transfer;

public class LogisticRegressionTests
{
    [Fact]
    public void SeparatesGaussianBlobs()
    {
        var rng = new Random(3);
        const int n = 300, d = 6, k = 3;
        var x = new float[n * d];
        var y = new int[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = i % k;
            for (int j = 0; j < d; j++) x[i * d + j] = (float)(rng.NextDouble() - 0.5) + (j == y[i] ? 3f : 0f) + 100f * (j == 5 ? 1 : 0);
        }
        var model = new LogisticRegression().Fit(x, y, d, k);
        var predicted = model.Predict(x);
        Assert.True(predicted.Zip(y).Count(p => p.First == p.Second) >= n - 3);
        var p = model.PredictProba(x.AsSpan(0, d));
        Assert.Equal(1.0, p.Sum(), 5);
    }

    [Fact]
    public void StrongerPenaltyShrinksTheWeights()
    {
        var x = new float[] { -2, -1, 1, 2 };
        var y = new[] { 0, 0, 1, 1 };
        var loose = new LogisticRegression { C = 100 }.Fit(x, y, 1, 2);
        var tight = new LogisticRegression { C = 0.01 }.Fit(x, y, 1, 2);
        double Norm(LogisticRegression m) => Math.Abs(m.State.Weights[0] - m.State.Weights[1]);
        Assert.True(Norm(loose) > 5 * Norm(tight));
        Assert.True(loose.PredictProba(new float[] { 2 })[1] > tight.PredictProba(new float[] { 2 })[1]);
    }

    [Fact]
    public void MatchesTheStationaryConditionOfTheObjective()
    {
        // With one feature that is ±1 and balanced labels, the optimum is symmetric: the bias is zero and
        // w satisfies w = C · Σ (y − p) x, which the solver must reach to 1e-4.
        var x = new float[] { -1, -1, 1, 1, -1, 1 };
        var y = new[] { 0, 0, 1, 1, 1, 0 };
        var m = new LogisticRegression { C = 1 }.Fit(x, y, 1, 2);
        var p = m.PredictProba(x);
        double grad0 = m.State.Weights[0];
        double sum = 0;
        float std = m.State.Std[0];
        for (int i = 0; i < 6; i++) sum += ((y[i] == 0 ? 1 : 0) - p[i * 2]) * (x[i] - m.State.Mean[0]) / std;
        Assert.Equal(grad0, sum, 4);
    }
}
