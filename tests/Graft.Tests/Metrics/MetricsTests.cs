using Graft.Metrics;

namespace Graft.Tests.Metrics;

public class MetricsTests
{
    [Fact]
    public void PerClassMetricsMatchHandComputation()
    {
        var cm = new ConfusionMatrix(new[] { "a", "b", "c" });
        // a: 3 right, 1 predicted b; b: 2 right; c: 1 predicted a.
        foreach (var (t, p) in new[] { (0, 0), (0, 0), (0, 0), (0, 1), (1, 1), (1, 1), (2, 0) }) cm.Add(t, p);
        Assert.Equal(5 / 7.0, cm.Accuracy, 12);
        var m = cm.PerClass();
        Assert.Equal(3 / 4.0, m[0].Precision, 12);
        Assert.Equal(3 / 4.0, m[0].Recall, 12);
        Assert.Equal(2 / 3.0, m[1].Precision, 12);
        Assert.Equal(1.0, m[1].Recall, 12);
        Assert.Equal(0.8, m[1].F1, 12);
        Assert.Equal(0, m[2].Precision);
        Assert.Equal(0, m[2].F1);
        Assert.Equal(1, m[2].Support);
        Assert.Throws<ArgumentOutOfRangeException>(() => cm.Add(3, 0));
    }

    [Fact]
    public void TopKCountsTiesAgainstTheLabel()
    {
        float[] scores = { 0.1f, 0.5f, 0.4f, /* row 2 */ 0.3f, 0.3f, 0.4f };
        Assert.Equal(0.5, Accuracy.TopK(scores, new[] { 1, 1 }, 3, 1));
        Assert.Equal(1.0, Accuracy.TopK(scores, new[] { 2, 0 }, 3, 2));
        Assert.Equal(0.5, Accuracy.TopK(scores, new[] { 2, 1 }, 3, 2));
        Assert.False(Accuracy.InTopK(scores.AsSpan(3, 3), 1, 2));
        Assert.True(Accuracy.InTopK(scores.AsSpan(3, 3), 0, 2));
    }
}
