using System.Text.Json.Nodes;
using Graft.Kernels;
using Graft.Layers;
using Graft.Tensors;
using Graft.Tests.Support;

namespace Graft.Tests.Layers;

public class DepthwiseConv2DTests
{
    // batch, h, w, c, kh, kw, stride, dilation, depth multiplier, padding (see Conv2DTests.Pad)
    [Theory]
    [InlineData(2, 5, 5, 3, 3, 3, 1, 1, 1, 's')]
    [InlineData(2, 13, 13, 7, 3, 3, 2, 1, 2, 's')]
    [InlineData(1, 5, 5, 17, 5, 5, 1, 1, 1, 'v')]
    [InlineData(2, 13, 5, 1, 1, 3, 1, 2, 2, 'e')]
    [InlineData(3, 1, 1, 33, 3, 3, 1, 1, 1, 's')]
    [InlineData(1, 13, 13, 3, 3, 3, 1, 2, 2, 's')]
    [InlineData(2, 5, 5, 17, 1, 1, 2, 1, 2, 'v')]
    public void GradientsMatchFiniteDifferences(int batch, int h, int w, int c, int kh, int kw, int stride, int dilation, int dm, char padding)
    {
        var layer = new DepthwiseConv2D((kh, kw), (stride, stride), Conv2DTests.Pad(padding), dm, (dilation, dilation));
        GradientCheck.Check(layer, new[] { new Shape(batch, h, w, c) });
    }

    [Fact]
    public void GradientsWithFusedActivationAndNoBias()
    {
        GradientCheck.Check(new DepthwiseConv2D(3, padding: Padding2D.Same, depthMultiplier: 2, useBias: false, activation: ActivationKind.Tanh),
            new[] { new Shape(2, 5, 5, 3) });
    }

    [Fact]
    public void OrdersOutputChannelsAsTensorFlow()
    {
        // Channel c, filter m → output channel c·DM + m. A 1×1 kernel makes that visible: y[c·2 + m] = x[c] · k[c, m].
        var d = new DepthwiseConv2D(1, depthMultiplier: 2, useBias: false);
        d.Build(new[] { new Shape(1, 1, 2) });
        new float[] { 1, 2, 3, 4 }.CopyTo(d.DepthwiseKernel.Value.Span);
        var y = new Tensor(new Shape(1, 1, 1, 4));
        d.Forward(new[] { Tensor.FromArray(new float[] { 10, 100 }, 1, 1, 1, 2) }, y, false);
        Assert.Equal(new float[] { 10, 20, 300, 400 }, y.ToArray());
    }

    [Fact]
    public void ReadsKerasConfigAndRoundTrips()
    {
        var config = JsonNode.Parse("""
            {"name": "dw", "kernel_size": [3, 3], "strides": [2, 2], "padding": "valid", "depth_multiplier": 2,
             "data_format": "channels_last", "dilation_rate": [1, 1], "activation": "linear", "use_bias": true}
            """)!.AsObject();
        var d = (DepthwiseConv2D)LayerRegistry.Create("DepthwiseConv2D", "dw", config);
        d.Build(new[] { new Shape(9, 9, 5) });
        Assert.Equal(new Shape(4, 4, 10), d.OutputShape);
        Assert.Equal(new[] { "depthwise_kernel", "bias" }, d.Parameters.Select(p => p.Name));
        Assert.Equal(new Shape(3, 3, 5, 2), d.DepthwiseKernel.Shape);
        var json = new JsonObject();
        d.WriteConfig(json);
        var back = (DepthwiseConv2D)LayerRegistry.Create("DepthwiseConv2D", "dw", json);
        Assert.Equal((d.KernelSize, d.Strides, d.Padding, d.DepthMultiplier, d.DilationRate, d.UseBias, d.Activation),
            (back.KernelSize, back.Strides, back.Padding, back.DepthMultiplier, back.DilationRate, back.UseBias, back.Activation));
    }

    [Fact]
    public void RejectsBadSettings()
    {
        Assert.Contains("depth_multiplier", Assert.Throws<ArgumentException>(() => new DepthwiseConv2D(3, depthMultiplier: 0)).Message);
        var e = Assert.Throws<ShapeMismatchException>(() => new DepthwiseConv2D(3, dilationRate: 3, name: "dw").Build(new[] { new Shape(6, 6, 8) }));
        Assert.Contains("(H ≥ 7, W ≥ 7, C)", e.Message);
        var cf = JsonNode.Parse("""{"kernel_size": 3, "data_format": "channels_first"}""")!.AsObject();
        Assert.Throws<NotSupportedException>(() => LayerRegistry.Create("DepthwiseConv2D", "d", cf));
    }
}
