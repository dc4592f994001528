using System.Text.Json.Nodes;
using Graft.Layers;
using Graft.Tensors;
using Graft.Tests.Support;

namespace Graft.Tests.Layers;

public class ZeroPadding2DTests
{
    [Theory]
    [InlineData(2, 5, 5, 3, 1, 1, 1, 1)]
    [InlineData(1, 1, 1, 7, 0, 2, 3, 1)]
    [InlineData(2, 13, 5, 1, 2, 0, 0, 1)]
    public void GradientsMatchFiniteDifferences(int batch, int h, int w, int c, int top, int bottom, int left, int right)
    {
        GradientCheck.Check(new ZeroPadding2D(top, bottom, left, right), new[] { new Shape(batch, h, w, c) });
    }

    [Theory]
    [InlineData("2", 2, 2, 2, 2)]
    [InlineData("[1, 3]", 1, 1, 3, 3)]
    [InlineData("[[0, 1], [2, 3]]", 0, 1, 2, 3)]
    public void ReadsEveryKerasPaddingForm(string padding, int top, int bottom, int left, int right)
    {
        var config = JsonNode.Parse($$"""{"padding": {{padding}}, "data_format": "channels_last"}""")!.AsObject();
        var z = (ZeroPadding2D)LayerRegistry.Create("ZeroPadding2D", "pad", config);
        Assert.Equal((top, bottom, left, right), (z.Top, z.Bottom, z.Left, z.Right));
        var json = new JsonObject();
        z.WriteConfig(json);
        var back = (ZeroPadding2D)LayerRegistry.Create("ZeroPadding2D", "pad", json);
        Assert.Equal((top, bottom, left, right), (back.Top, back.Bottom, back.Left, back.Right));
    }

    [Fact]
    public void RejectsBadSettings()
    {
        Assert.Throws<ArgumentException>(() => new ZeroPadding2D(-1));
        Assert.Throws<FormatException>(() => LayerRegistry.Create("ZeroPadding2D", "p", JsonNode.Parse("""{"padding": "x"}""")!.AsObject()));
        var e = Assert.Throws<ShapeMismatchException>(() => new ZeroPadding2D(1, name: "p").Build(new[] { new Shape(5, 5) }));
        Assert.Contains("(H, W, C)", e.Message);
    }
}
