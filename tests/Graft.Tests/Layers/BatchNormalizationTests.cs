using System.Text.Json.Nodes;
using Graft.Graph;
using Graft.Layers;
using Graft.Tensors;
using Graft.Tests.Support;

namespace Graft.Tests.Layers;

public class BatchNormalizationTests
{
    [Theory]
    [InlineData(4, 3, 3, 1)]
    [InlineData(2, 5, 5, 7)]
    [InlineData(3, 1, 1, 17)]
    [InlineData(2, 3, 2, 33)]
    public void TrainingModeGradientsMatchFiniteDifferences(int n, int h, int w, int c)
    {
        GradientCheck.Check(new BatchNormalization(), new[] { new Shape(n, h, w, c) });
    }

    [Theory]
    [InlineData(2, 3, 3, 3)]
    [InlineData(2, 2, 2, 33)]
    public void InferenceModeGradientsMatchFiniteDifferences(int n, int h, int w, int c)
    {
        GradientCheck.Check(new BatchNormalization(), new[] { new Shape(n, h, w, c) }, new GradientCheck.Options { Training = false });
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(false, false)]
    public void WithoutGammaOrBetaGradientsStillMatch(bool center, bool scale)
    {
        var bn = new BatchNormalization(center: center, scale: scale);
        GradientCheck.Check(bn, new[] { new Shape(3, 2, 2, 5) });
        Assert.Equal(scale, bn.Gamma is not null);
        Assert.Equal(center, bn.Beta is not null);
        Assert.Equal(2 + (center ? 1 : 0) + (scale ? 1 : 0), bn.Parameters.Count);
    }

    [Fact]
    public void WorksOnFeatureVectors()
    {
        GradientCheck.Check(new BatchNormalization(), new[] { new Shape(6, 9) });
    }

    [Fact]
    public void WeightsHaveKerasNamesAndMovingStatisticsAreNotTrainable()
    {
        var bn = new BatchNormalization(name: "bn");
        bn.Build(new[] { new Shape(4, 4, 3) });
        Assert.Equal(new[] { "gamma", "beta", "moving_mean", "moving_variance" }, bn.Parameters.Select(p => p.Name));
        Assert.Equal(new[] { true, true, false, false }, bn.Parameters.Select(p => p.IsTrainableWeight));
        Assert.All(bn.Gamma!.Value.ToArray(), v => Assert.Equal(1f, v));
        Assert.All(bn.MovingVariance.Value.ToArray(), v => Assert.Equal(1f, v));
        Assert.All(bn.MovingMean.Value.ToArray(), v => Assert.Equal(0f, v));
    }

    [Theory]
    [InlineData("batchnorm_training", true)]
    [InlineData("batchnorm_inference", false)]
    public void MatchesTorchAndUpdatesMovingStatisticsAsKeras(string fixture, bool training)
    {
        var f = LayerFixture.Load(fixture);
        var dims = f.Ints("shape");
        var bn = Load(f, dims);
        var y = new Tensor(new Shape(dims));
        bn.Forward(new[] { f.Tensor("x", dims) }, y, training);
        f.AssertClose("y", f.Floats("y"), y.Span, 1e-4f, 1e-4f);
        f.AssertClose("moving_mean", f.Floats("moving_mean_after"), bn.MovingMean.Value.Span);
        f.AssertClose("moving_variance", f.Floats("moving_variance_after"), bn.MovingVariance.Value.Span);
    }

    [Fact]
    public void FrozenLayerUsesMovingStatisticsEvenWhenTrainingAndDoesNotUpdateThem()
    {
        var f = LayerFixture.Load("batchnorm_inference");
        var dims = f.Ints("shape");
        var bn = Load(f, dims);
        bn.Trainable = false;
        var x = f.Tensor("x", dims);
        var y = new Tensor(new Shape(dims));
        bn.Forward(new[] { x }, y, training: true);
        f.AssertClose("y", f.Floats("y"), y.Span, 1e-4f, 1e-4f);
        Assert.Equal(f.Floats("moving_mean"), bn.MovingMean.Value.ToArray());
        Assert.Equal(f.Floats("moving_variance"), bn.MovingVariance.Value.ToArray());

        // Backward is the inference-mode affine map and leaves the frozen weights' gradients alone.
        var dy = GradientCheck.Random(y.Shape, new Random(3), 1f);
        var dx = new Tensor(x.Shape);
        bn.Backward(new[] { x }, y, dy, new Tensor?[] { dx });
        int c = dims[^1];
        for (int i = 0; i < dx.Length; i++)
        {
            float expected = dy[i] * bn.Gamma!.Value[i % c] / MathF.Sqrt(bn.MovingVariance.Value[i % c] + bn.Epsilon);
            Assert.Equal(expected, dx[i], 1e-5f);
        }
        Assert.All(bn.Gamma!.Grad.ToArray(), g => Assert.Equal(0f, g));
        Assert.All(bn.Beta!.Grad.ToArray(), g => Assert.Equal(0f, g));
    }

    [Fact]
    public void FrozenLayerInsideAModelKeepsItsStatisticsDuringTraining()
    {
        var bn = new BatchNormalization(name: "base_bn");
        var head = new Dense(2, name: "head");
        var model = Model.Sequential(new Shape(3, 3, 4), bn, new GlobalAveragePooling2D(name: "gap"), head);
        bn.Trainable = false;
        var before = bn.MovingMean.Value.ToArray().Concat(bn.MovingVariance.Value.ToArray()).ToArray();
        var x = GradientCheck.Random(new Shape(5, 3, 3, 4), new Random(2), 3f);
        model.ZeroGrad();
        var y = model.Forward(x, training: true);
        model.Backward(GradientCheck.Random(y.Shape, new Random(4), 1f));
        Assert.Equal(before, bn.MovingMean.Value.ToArray().Concat(bn.MovingVariance.Value.ToArray()).ToArray());
        Assert.Contains(head.Kernel.Grad.ToArray(), g => g != 0f);
        Assert.All(bn.Gamma!.Grad.ToArray(), g => Assert.Equal(0f, g));

        bn.Trainable = true;
        model.Forward(x, training: true);
        Assert.NotEqual(before, bn.MovingMean.Value.ToArray().Concat(bn.MovingVariance.Value.ToArray()).ToArray());
    }

    [Fact]
    public void LargeBatchStatisticsAreAccurate()
    {
        // 300 000 rows of one channel around 1000: a naive float sum of squares would lose the variance.
        int rows = 300_000;
        var x = new Tensor(new Shape(rows, 1));
        var rng = new Random(5);
        for (int i = 0; i < rows; i++) x[i] = 1000f + (float)(rng.NextDouble() * 2 - 1);
        double mean = 0, m2 = 0;
        for (int i = 0; i < rows; i++) mean += x[i];
        mean /= rows;
        for (int i = 0; i < rows; i++) m2 += (x[i] - mean) * (x[i] - mean);
        var mu = new float[1];
        var variance = new float[1];
        Graft.Kernels.BatchNorm.Moments(x.Memory, 1, mu, variance);
        Assert.Equal(mean, mu[0], 1e-3);
        Assert.Equal(m2 / rows, variance[0], 1e-4);
    }

    [Fact]
    public void RoundTripsItsConfigIncludingKeras2AxisList()
    {
        var bn = new BatchNormalization(momentum: 0.9f, epsilon: 1e-5f, center: false, name: "bn_cfg");
        var cfg = new JsonObject();
        bn.WriteConfig(cfg);
        var back = (BatchNormalization)LayerRegistry.Create("BatchNormalization", "bn_cfg", cfg);
        Assert.Equal((bn.Momentum, bn.Epsilon, bn.Center, bn.Scale, bn.Axis), (back.Momentum, back.Epsilon, back.Center, back.Scale, back.Axis));
        var keras2 = (BatchNormalization)LayerRegistry.Create("BatchNormalization", "bn2", new JsonObject { ["axis"] = new JsonArray(3), ["momentum"] = 0.99 });
        keras2.Build(new[] { new Shape(4, 4, 8) });
        Assert.Equal(3, keras2.Axis);
        var e = Assert.Throws<NotSupportedException>(() => LayerRegistry.Create("BatchNormalization", "bn_r", new JsonObject { ["renorm"] = true }));
        Assert.Contains("bn_r", e.Message);
    }

    [Fact]
    public void OtherAxesAreRefusedNamingLayerExpectedAndReceived()
    {
        var bn = new BatchNormalization(axis: 1, name: "bn_axis");
        var e = Assert.Throws<NotSupportedException>(() => bn.Build(new[] { new Shape(8, 8, 3) }));
        Assert.Contains("bn_axis", e.Message);
        Assert.Contains("Expected axis -1 or 3", e.Message);
        Assert.Contains("Received: axis=1", e.Message);
    }

    [Fact]
    public void BadMomentumIsRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => new BatchNormalization(momentum: 1.5f, name: "bn_m"));
        Assert.Contains("bn_m", e.Message);
        Assert.Contains("Received: 1.5", e.Message);
    }

    private static BatchNormalization Load(LayerFixture f, int[] dims)
    {
        var bn = new BatchNormalization(momentum: f.Float("momentum"), epsilon: f.Float("epsilon"));
        bn.Build(new[] { new Shape(dims).WithoutBatch() });
        f.Floats("gamma").CopyTo(bn.Gamma!.Value.Span);
        f.Floats("beta").CopyTo(bn.Beta!.Value.Span);
        f.Floats("moving_mean").CopyTo(bn.MovingMean.Value.Span);
        f.Floats("moving_variance").CopyTo(bn.MovingVariance.Value.Span);
        return bn;
    }
}
