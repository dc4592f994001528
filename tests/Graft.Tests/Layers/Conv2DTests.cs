using System.Text.Json.Nodes;
using Graft.Kernels;
using Graft.Layers;
using Graft.Tensors;
using Graft.Tests.Support;

namespace Graft.Tests.Layers;

public class Conv2DTests
{
    // batch, h, w, cin, filters, kh, kw, stride, dilation, padding (v = valid, s = same, e = explicit (1, 0, 2, 1))
    [Theory]
    [InlineData(2, 5, 5, 3, 7, 3, 3, 1, 1, 's')]
    [InlineData(2, 13, 13, 1, 3, 5, 5, 2, 1, 's')]
    [InlineData(1, 5, 5, 17, 33, 1, 1, 1, 1, 'v')]
    [InlineData(2, 13, 5, 7, 5, 1, 3, 2, 1, 'e')]
    [InlineData(1, 13, 13, 3, 4, 3, 3, 1, 2, 'v')]
    [InlineData(3, 1, 1, 33, 17, 3, 3, 1, 1, 's')]
    [InlineData(2, 5, 5, 7, 3, 1, 1, 2, 1, 'v')]
    [InlineData(1, 5, 13, 3, 1, 5, 5, 2, 2, 's')]
    public void GradientsMatchFiniteDifferences(int batch, int h, int w, int cin, int filters, int kh, int kw, int stride, int dilation, char padding)
    {
        var layer = new Conv2D(filters, (kh, kw), (stride, stride), Pad(padding), (dilation, dilation));
        GradientCheck.Check(layer, new[] { new Shape(batch, h, w, cin) });
    }

    [Theory]
    [InlineData(ActivationKind.Tanh)]
    [InlineData(ActivationKind.Swish)]
    public void GradientsWithFusedActivationAndNoBias(ActivationKind act)
    {
        GradientCheck.Check(new Conv2D(5, 3, strides: 2, padding: Padding2D.Same, useBias: false, activation: act), new[] { new Shape(2, 5, 5, 3) });
    }

    [Fact]
    public void ComputesAKnownConvolution()
    {
        // 3×3 input 1..9, 2×2 all-ones kernel, valid: each output is the sum of a 2×2 window, plus bias.
        var c = new Conv2D(1, 2, name: "c");
        c.Build(new[] { new Shape(3, 3, 1) });
        c.Kernel.Value.Span.Fill(1);
        c.Bias!.Value[0] = 0.5f;
        var y = new Tensor(new Shape(1, 2, 2, 1));
        c.Forward(new[] { Tensor.FromArray(Enumerable.Range(1, 9).Select(i => (float)i).ToArray(), 1, 3, 3, 1) }, y, false);
        Assert.Equal(new[] { 12.5f, 16.5f, 24.5f, 28.5f }, y.ToArray());
    }

    [Fact]
    public void SameWithStrideTwoPadsBottomRight()
    {
        // 4×4 input, 3×3 kernel, stride 2, same: total pad 1, all of it at the bottom/right, so output (0, 0)
        // sees rows/columns 0..2 unpadded.
        var c = new Conv2D(1, 3, strides: 2, padding: Padding2D.Same, useBias: false);
        c.Build(new[] { new Shape(4, 4, 1) });
        Assert.Equal(new Shape(2, 2, 1), c.OutputShape);
        Assert.Equal((0, 1, 0, 1), (c.Geometry.PadTop, c.Geometry.PadBottom, c.Geometry.PadLeft, c.Geometry.PadRight));
        c.Kernel.Value.Span.Fill(1);
        var y = new Tensor(new Shape(1, 2, 2, 1));
        c.Forward(new[] { Tensor.FromArray(Enumerable.Repeat(1f, 16).ToArray(), 1, 4, 4, 1) }, y, false);
        Assert.Equal(new[] { 9f, 6f, 6f, 4f }, y.ToArray());
    }

    [Fact]
    public void RejectsInputSmallerThanTheKernel()
    {
        var c = new Conv2D(4, 5, name: "stem");
        var e = Assert.Throws<ShapeMismatchException>(() => c.Build(new[] { new Shape(3, 8, 3) }));
        Assert.Equal("stem", e.Layer);
        Assert.Contains("(H ≥ 5, W ≥ 5, C)", e.Message);
        Assert.Contains("Received: (3, 8, 3)", e.Message);
        Assert.Contains("same", e.Message);
    }

    [Fact]
    public void RejectsFlatInputsAndBadArguments()
    {
        Assert.Throws<ShapeMismatchException>(() => new Conv2D(4, 3).Build(new[] { new Shape(10) }));
        Assert.Contains("Received: 0", Assert.Throws<ArgumentException>(() => new Conv2D(0, 3)).Message);
        Assert.Contains("Received: (3, 0)", Assert.Throws<ArgumentException>(() => new Conv2D(4, (3, 0))).Message);
        Assert.Contains("strides", Assert.Throws<ArgumentException>(() => new Conv2D(4, 3, strides: -1)).Message);
    }

    [Fact]
    public void ReadsKerasConfig()
    {
        var config = JsonNode.Parse("""
            {"name": "conv1", "filters": 32, "kernel_size": [3, 1], "strides": [2, 2], "padding": "same",
             "data_format": "channels_last", "dilation_rate": [1, 1], "groups": 1, "activation": "relu", "use_bias": false,
             "kernel_initializer": {"class_name": "GlorotUniform"}}
            """)!.AsObject();
        var c = (Conv2D)LayerRegistry.Create("Conv2D", "conv1", config);
        Assert.Equal((32, (3, 1), (2, 2), Padding2D.Same, ActivationKind.Relu, false), (c.Filters, c.KernelSize, c.Strides, c.Padding, c.Activation, c.UseBias));
        c.Build(new[] { new Shape(7, 7, 3) });
        Assert.Equal(new[] { "kernel" }, c.Parameters.Select(p => p.Name));
        Assert.Equal(new Shape(3, 1, 3, 32), c.Kernel.Shape);
    }

    [Fact]
    public void ConfigRoundTrips()
    {
        var c = new Conv2D(8, (3, 5), (1, 2), Padding2D.Explicit(1, 0, 2, 1), (2, 1), activation: ActivationKind.Relu6, name: "x");
        var json = new JsonObject();
        c.WriteConfig(json);
        var back = (Conv2D)LayerRegistry.Create("Conv2D", "x", json);
        Assert.Equal((c.Filters, c.KernelSize, c.Strides, c.Padding, c.DilationRate, c.UseBias, c.Activation),
            (back.Filters, back.KernelSize, back.Strides, back.Padding, back.DilationRate, back.UseBias, back.Activation));
    }

    [Fact]
    public void RejectsChannelsFirstAndGroups()
    {
        var cf = JsonNode.Parse("""{"filters": 4, "kernel_size": 3, "data_format": "channels_first"}""")!.AsObject();
        Assert.Contains("channels_last", Assert.Throws<NotSupportedException>(() => LayerRegistry.Create("Conv2D", "c", cf)).Message);
        var grouped = JsonNode.Parse("""{"filters": 4, "kernel_size": 3, "groups": 2}""")!.AsObject();
        Assert.Contains("groups", Assert.Throws<NotSupportedException>(() => LayerRegistry.Create("Conv2D", "c", grouped)).Message);
        var pad = JsonNode.Parse("""{"filters": 4, "kernel_size": 3, "padding": "causal"}""")!.AsObject();
        Assert.Contains("'padding'", Assert.Throws<FormatException>(() => LayerRegistry.Create("Conv2D", "c", pad)).Message);
    }

    internal static Padding2D Pad(char p) => p switch { 's' => Padding2D.Same, 'e' => Padding2D.Explicit(1, 0, 2, 1), _ => Padding2D.Valid };
}
