using Graft.Kernels;

namespace Graft.Tests.Kernels;

public class Padding2DTests
{
    [Theory]
    // input, kernel, stride, dilation, expected before, after (TensorFlow's rule: odd one after)
    [InlineData(5, 3, 1, 1, 1, 1)]
    [InlineData(224, 3, 2, 1, 0, 1)]
    [InlineData(225, 3, 2, 1, 1, 1)]
    [InlineData(6, 1, 2, 1, 0, 0)]
    [InlineData(5, 5, 1, 1, 2, 2)]
    [InlineData(5, 3, 1, 2, 2, 2)]
    [InlineData(13, 4, 3, 1, 1, 2)]
    [InlineData(1, 5, 2, 1, 2, 2)]
    [InlineData(4, 2, 1, 1, 0, 1)]
    public void SameMatchesTensorFlow(int input, int kernel, int stride, int dilation, int before, int after)
    {
        Assert.Equal((before, after), Padding2D.SameAmounts(input, kernel, stride, dilation));
        Assert.Equal((input + stride - 1) / stride, Padding2D.OutputSize(input, kernel, stride, dilation, before, after));
    }

    [Fact]
    public void GeometryResolvesEachMode()
    {
        var valid = Conv2DGeometry.Create(13, 5, 3, 3, 3, 2, 2, 1, 1, Padding2D.Valid);
        Assert.Equal((6, 2), (valid.OH, valid.OW));
        var same = Conv2DGeometry.Create(13, 5, 3, 3, 3, 2, 2, 1, 1, Padding2D.Same);
        Assert.Equal((7, 3, 1, 1, 1, 1), (same.OH, same.OW, same.PadTop, same.PadBottom, same.PadLeft, same.PadRight));
        var expl = Conv2DGeometry.Create(5, 5, 1, 3, 3, 1, 1, 1, 1, Padding2D.Explicit(0, 2, 1, 0));
        Assert.Equal((5, 4), (expl.OH, expl.OW));
        Assert.False(Conv2DGeometry.Create(2, 5, 1, 3, 3, 1, 1, 1, 1, Padding2D.Valid).Fits);
    }

    [Fact]
    public void ValidTapsSkipThePadding()
    {
        var g = Conv2DGeometry.Create(5, 5, 1, 3, 3, 1, 1, 2, 2, Padding2D.Same); // pad 2 each side
        Assert.Equal((1, 3), g.KernelRows(0));
        Assert.Equal((0, 3), g.KernelRows(2));
        Assert.Equal((0, 2), g.KernelRows(4));
    }

    [Fact]
    public void ExplicitRejectsNegativeAmounts()
    {
        var e = Assert.Throws<ArgumentException>(() => Padding2D.Explicit(1, -1, 0, 0));
        Assert.Contains("Received: (1, -1, 0, 0)", e.Message);
    }

    [Fact]
    public void JsonRoundTrips()
    {
        foreach (var p in new[] { Padding2D.Valid, Padding2D.Same, Padding2D.Explicit(1, 2, 3, 0) })
            Assert.Equal(p, Padding2D.FromJson(p.ToJson(), "test"));
        Assert.Throws<FormatException>(() => Padding2D.FromJson(System.Text.Json.Nodes.JsonValue.Create("causal"), "test"));
    }
}
