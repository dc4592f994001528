using System.Text.Json.Nodes;
using Graft.Kernels;
using Graft.Layers;
using Graft.Tensors;
using Graft.Tests.Support;

namespace Graft.Tests.Layers;

public class ElementwiseLayerTests
{
    [Theory]
    [InlineData(null, 0f, 0f)]
    [InlineData(6f, 0f, 0f)]
    [InlineData(null, 0.1f, 0f)]
    [InlineData(2f, 0.2f, 0.5f)]
    [InlineData(1.5f, 0.3f, -1f)]
    public void ReluGradientsMatchFiniteDifferencesAwayFromKinks(float? max, float slope, float threshold)
    {
        var relu = new ReLU(max, slope, threshold);
        var shape = new Shape(2, 3, 3, 7);
        var rng = new Random(9);
        var x = new Tensor(shape);
        for (int i = 0; i < x.Length; i++)
        {
            float v;
            do v = (float)(rng.NextDouble() * 8 - 4);
            while (Math.Abs(v - threshold) < 0.05f || (max is { } m && Math.Abs(v - m) < 0.05f));
            x[i] = v;
        }
        GradientCheck.Check(relu, new[] { shape }, new GradientCheck.Options { Epsilon = 1e-3f, MaxProbes = 126 }, new[] { x });
    }

    [Fact]
    public void ReluFollowsKerasFormula()
    {
        var relu = new ReLU(maxValue: 3f, negativeSlope: 0.5f, threshold: 1f);
        relu.Build(new[] { new Shape(5) });
        var y = new Tensor(new Shape(1, 5));
        relu.Forward(new[] { Tensor.FromArray(new float[] { -1, 1, 2, 3, 4 }, 1, 5) }, y, false);
        Assert.Equal(new float[] { -1, 1, 2, 3, 3 }, y.ToArray());
    }

    [Fact]
    public void LeakyReluGradientsAndKeras2Alpha()
    {
        GradientCheck.Check(new LeakyReLU(0.2f), new[] { new Shape(3, 17) }, new GradientCheck.Options { Epsilon = 1e-3f });
        var l = (LeakyReLU)LayerRegistry.Create("LeakyReLU", "lr", new JsonObject { ["alpha"] = 0.1 });
        Assert.Equal(0.1f, l.NegativeSlope);
        Assert.Equal(0.3f, ((LeakyReLU)LayerRegistry.Create("LeakyReLU", "lr2", new JsonObject())).NegativeSlope);
    }

    [Fact]
    public void RescalingGradientsAndValues()
    {
        GradientCheck.Check(new Rescaling(1f / 127.5f, -1f), new[] { new Shape(2, 3, 3, 3) });
        GradientCheck.Check(new Rescaling(new[] { 0.5f, 2f, -1f }, new[] { 1f }), new[] { new Shape(2, 2, 2, 3) });
        var r = new Rescaling(1f / 127.5f, -1f);
        r.Build(new[] { new Shape(3) });
        var y = new Tensor(new Shape(1, 3));
        r.Forward(new[] { Tensor.FromArray(new float[] { 0, 127.5f, 255 }, 1, 3) }, y, false);
        Assert.Equal(new[] { -1f, 0f, 1f }, y.ToArray());
        var cfg = new JsonObject();
        r.WriteConfig(cfg);
        Assert.Equal("{\"scale\":0.007843138,\"offset\":-1}", cfg.ToJsonString());
        var back = (Rescaling)LayerRegistry.Create("Rescaling", "rs", cfg);
        Assert.Equal(r.Scale, back.Scale);
    }

    [Fact]
    public void SoftmaxLayerGradientsAndAxisCheck()
    {
        GradientCheck.Check(new Softmax(), new[] { new Shape(2, 3, 5) });
        var e = Assert.Throws<NotSupportedException>(() => new Softmax(1, "sm").Build(new[] { new Shape(3, 5) }));
        Assert.Contains("sm", e.Message);
        Assert.Contains("Expected axis -1 or 2", e.Message);
        Assert.Contains("Received: axis=1", e.Message);
    }

    [Fact]
    public void BadReluSettingsNameLayerExpectedAndReceived()
    {
        var e = Assert.Throws<ArgumentException>(() => new ReLU(maxValue: -1f, name: "r1"));
        Assert.Contains("r1", e.Message);
        Assert.Contains("max_value", e.Message);
        Assert.Contains("Received: -1", e.Message);
        var e2 = Assert.Throws<ArgumentException>(() => new ReLU(negativeSlope: -0.5f, name: "r2"));
        Assert.Contains("negative_slope", e2.Message);
        var relu6 = (ReLU)LayerRegistry.Create("ReLU", "r6", new JsonObject { ["max_value"] = 6.0, ["negative_slope"] = 0.0, ["threshold"] = 0.0 });
        Assert.Equal(6f, relu6.MaxValue);
        Assert.Null(((ReLU)LayerRegistry.Create("ReLU", "r", new JsonObject { ["max_value"] = null })).MaxValue);
    }
}
