using System.Text.Json.Nodes;
using Graft.Kernels;
using Graft.Layers;
using Graft.Tensors;
using Graft.Tests.Support;

namespace Graft.Tests.Layers;

public class SeparableConv2DTests
{
    [Theory]
    [InlineData(2, 5, 5, 3, 7, 3, 1, 1, 1, 's')]
    [InlineData(1, 13, 13, 7, 3, 3, 2, 1, 2, 's')]
    [InlineData(2, 5, 5, 17, 5, 1, 1, 2, 1, 'e')]
    public void GradientsMatchFiniteDifferences(int batch, int h, int w, int c, int filters, int k, int stride, int dilation, int dm, char padding)
    {
        var layer = new SeparableConv2D(filters, k, stride, Conv2DTests.Pad(padding), dm, dilation, activation: ActivationKind.Tanh);
        GradientCheck.Check(layer, new[] { new Shape(batch, h, w, c) });
    }

    [Fact]
    public void EqualsDepthwiseThenPointwise()
    {
        var rng = new Random(3);
        var sep = new SeparableConv2D(4, 3, strides: 2, padding: Padding2D.Same, depthMultiplier: 2);
        var dw = new DepthwiseConv2D(3, strides: 2, padding: Padding2D.Same, depthMultiplier: 2, useBias: false);
        var pw = new Conv2D(4, 1);
        var input = new Shape(5, 5, 3);
        sep.Build(new[] { input });
        dw.Build(new[] { input });
        pw.Build(new[] { dw.OutputShape });
        sep.DepthwiseKernel.Value.CopyFrom(dw.DepthwiseKernel.Value);
        sep.PointwiseKernel.Value.CopyFrom(pw.Kernel.Value);
        pw.Bias!.Value.Span.Fill(0.25f);
        sep.Bias!.Value.Span.Fill(0.25f);
        var x = GradientCheck.Random(input.WithBatch(2), rng, 1);
        var mid = new Tensor(dw.OutputShape.WithBatch(2));
        var expected = new Tensor(pw.OutputShape.WithBatch(2));
        var actual = new Tensor(sep.OutputShape.WithBatch(2));
        dw.Forward(new[] { x }, mid, false);
        pw.Forward(new[] { mid }, expected, false);
        sep.Forward(new[] { x }, actual, false);
        Kernels.ConvAssert.Close(expected.Span, actual.Span, 1e-6f, "separable");
        Assert.Equal(new[] { "depthwise_kernel", "pointwise_kernel", "bias" }, sep.Parameters.Select(p => p.Name));
    }

    [Fact]
    public void ReadsKerasConfigAndRoundTrips()
    {
        var config = JsonNode.Parse("""
            {"name": "sep", "filters": 6, "kernel_size": [3, 3], "strides": [1, 1], "padding": "same", "depth_multiplier": 1,
             "data_format": "channels_last", "dilation_rate": [1, 1], "activation": "relu", "use_bias": true}
            """)!.AsObject();
        var s = (SeparableConv2D)LayerRegistry.Create("SeparableConv2D", "sep", config);
        s.Build(new[] { new Shape(4, 4, 2) });
        Assert.Equal(new Shape(1, 1, 2, 6), s.PointwiseKernel.Shape);
        var json = new JsonObject();
        s.WriteConfig(json);
        var back = (SeparableConv2D)LayerRegistry.Create("SeparableConv2D", "sep", json);
        Assert.Equal((s.Filters, s.KernelSize, s.Strides, s.Padding, s.DepthMultiplier, s.Activation),
            (back.Filters, back.KernelSize, back.Strides, back.Padding, back.DepthMultiplier, back.Activation));
    }
}
