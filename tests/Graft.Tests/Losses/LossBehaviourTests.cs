using Graft.Losses;
using Graft.Tensors;

namespace Graft.Tests.Losses;

public class LossBehaviourTests
{
    [Fact]
    public void SoftmaxCrossEntropyIsStableForHugeLogits()
    {
        var x = Tensor.FromArray(new float[] { 1000, -1000, 0, 90, 100, 80 }, 2, 3);
        var g = new Tensor(x.Shape);
        float loss = new SoftmaxCrossEntropy().Compute(x, new[] { 1, 0 }, g);
        // Row 0: label logit 2000 below the max → loss 2000; row 1: log(e^-10 + 1 + e^-20) + 10.
        double expected = (2000 + (Math.Log(Math.Exp(-10) + 1 + Math.Exp(-20)) + 10)) / 2;
        Assert.Equal(expected, loss, 3);
        Assert.All(g.ToArray(), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void ClassWeightsScaleRowsAndDivideByTheRowCount()
    {
        // Keras's class_weight: Σ w[label]·row loss / N, not / Σ w (PyTorch).
        var x = Tensor.FromArray(new float[] { 0, 0, 0, 0 }, 2, 2);
        float loss = new SoftmaxCrossEntropy(classWeights: new[] { 3f, 1f }).Compute(x, new[] { 0, 0 });
        Assert.Equal(3 * MathF.Log(2), loss, 5);
    }

    [Fact]
    public void CategoricalClipsConfidentMistakes()
    {
        var p = Tensor.FromArray(new float[] { 1, 0 }, 1, 2);
        var g = new Tensor(p.Shape);
        float loss = new CategoricalCrossEntropy().Compute(p, new[] { 1 }, g);
        Assert.Equal(-MathF.Log(1e-7f), loss, 3);
        Assert.Equal(new float[] { 0, 0 }, g.ToArray());
    }

    [Fact]
    public void RowsAreTheLastAxisOfImages()
    {
        var x = new Tensor(new Shape(2, 3, 3, 4));
        float loss = new SoftmaxCrossEntropy().Compute(x, new int[18]);
        Assert.Equal(MathF.Log(4), loss, 5);
    }

    [Fact]
    public void OutOfRangeLabelSaysExpectedAndReceived()
    {
        var x = new Tensor(new Shape(2, 3));
        var e = Assert.Throws<ArgumentException>(() => new SoftmaxCrossEntropy().Compute(x, new[] { 0, 3 }));
        Assert.Contains("Expected 0 ≤ label < 3", e.Message);
        Assert.Contains("Received: 3", e.Message);
        e = Assert.Throws<ArgumentException>(() => new CategoricalCrossEntropy().Compute(x, new[] { 0 }));
        Assert.Contains("Expected 2 labels", e.Message);
        Assert.Throws<ArgumentException>(() => new SoftmaxCrossEntropy(labelSmoothing: 1.5f));
        Assert.Throws<ArgumentException>(() => new SoftmaxCrossEntropy(classWeights: new[] { 1f, 1f }).Compute(x, new[] { 0, 1 }));
        Assert.Throws<ArgumentException>(() => new BinaryCrossEntropy().Compute(x, new[] { 0, 1, 2, 0, 1, 0 }));
    }

    [Fact]
    public void ComputeDoesNotAllocate()
    {
        var x = new Tensor(new Shape(16, 10));
        for (int i = 0; i < x.Length; i++) x[i] = i % 7 - 3;
        var g = new Tensor(x.Shape);
        var labels = Enumerable.Range(0, 16).Select(i => i % 10).ToArray();
        var losses = new ILoss[] { new SoftmaxCrossEntropy(0.1f, Enumerable.Repeat(1f, 10).ToArray()), new CategoricalCrossEntropy(0.1f) };
        foreach (var loss in losses)
        {
            for (int k = 0; k < 3; k++) loss.Compute(x, labels, g);
            long before = GC.GetAllocatedBytesForCurrentThread();
            loss.Compute(x, labels, g);
            Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
        }
    }
}
