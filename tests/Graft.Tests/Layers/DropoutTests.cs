using System.Text.Json.Nodes;
using Graft.Layers;
using Graft.Tensors;
using Graft.Tests.Support;

namespace Graft.Tests.Layers;

public class DropoutTests
{
    [Fact]
    public void GradientsMatchFiniteDifferencesWithAFixedMask()
    {
        var d = new Dropout(0.4f, seed: 11);
        GradientCheck.Check(d, new[] { new Shape(2, 3, 3, 7) }, new GradientCheck.Options { BeforeForward = d.ResetRandom });
    }

    [Fact]
    public void TrainingZeroesAboutRateAndScalesTheRestInferenceIsIdentity()
    {
        var d = new Dropout(0.25f, seed: 3);
        d.Build(new[] { new Shape(10_000) });
        var x = new Tensor(new Shape(1, 10_000));
        x.Span.Fill(2f);
        var y = new Tensor(x.Shape);
        d.Forward(new[] { x }, y, training: true);
        int zeros = y.ToArray().Count(v => v == 0);
        Assert.InRange(zeros, 2300, 2700);
        Assert.All(y.ToArray(), v => Assert.True(v == 0 || Math.Abs(v - 2f / 0.75f) < 1e-6));
        d.Forward(new[] { x }, y, training: false);
        Assert.All(y.ToArray(), v => Assert.Equal(2f, v));
    }

    [Fact]
    public void ResetRandomRepeatsTheMaskAndSeedsDiffer()
    {
        var d = new Dropout(0.5f, seed: 5);
        d.Build(new[] { new Shape(64) });
        var x = new Tensor(new Shape(1, 64));
        x.Span.Fill(1f);
        var y1 = new Tensor(x.Shape);
        var y2 = new Tensor(x.Shape);
        d.Forward(new[] { x }, y1, true);
        d.Forward(new[] { x }, y2, true);
        Assert.NotEqual(y1.ToArray(), y2.ToArray());
        d.ResetRandom();
        d.Forward(new[] { x }, y2, true);
        Assert.Equal(y1.ToArray(), y2.ToArray());
    }

    [Fact]
    public void BadRateAndNoiseShapeAreRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => new Dropout(1f, name: "drop"));
        Assert.Contains("drop", e.Message);
        Assert.Contains("Expected a number in [0, 1). Received: 1", e.Message);
        var e2 = Assert.Throws<NotSupportedException>(() =>
            LayerRegistry.Create("Dropout", "drop2", new JsonObject { ["rate"] = 0.2, ["noise_shape"] = new JsonArray(null, 1, 1, 8) }));
        Assert.Contains("drop2", e2.Message);
        Assert.Contains("noise_shape", e2.Message);
        var ok = (Dropout)LayerRegistry.Create("Dropout", "drop3", new JsonObject { ["rate"] = 0.2, ["noise_shape"] = null, ["seed"] = 7 });
        Assert.Equal(7, ok.Seed);
        Assert.Equal(0.2f, ok.Rate);
    }
}
