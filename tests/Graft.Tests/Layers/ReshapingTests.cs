using System.Text.Json.Nodes;
using Graft.Layers;
using Graft.Tensors;
using Graft.Tests.Support;

namespace Graft.Tests.Layers;

public class ReshapingTests
{
    [Fact]
    public void FlattenKeepsRowMajorOrder()
    {
        var f = new Flatten();
        f.Build(new[] { new Shape(2, 2, 3) });
        Assert.Equal(new Shape(12), f.OutputShape);
        GradientCheck.Check(new Flatten(), new[] { new Shape(2, 3, 3, 5) });
    }

    [Fact]
    public void ReshapeInfersTheMinusOne()
    {
        var r = new Reshape(new[] { -1, 4 });
        r.Build(new[] { new Shape(2, 2, 3) });
        Assert.Equal(new Shape(3, 4), r.OutputShape);
        GradientCheck.Check(new Reshape(new[] { 5, -1 }), new[] { new Shape(2, 3, 5) });
        var cfg = new JsonObject();
        r.WriteConfig(cfg);
        Assert.Equal(new[] { -1, 4 }, ((Reshape)LayerRegistry.Create("Reshape", "r2", cfg)).TargetShape);
    }

    [Fact]
    public void ReshapeErrorsNameLayerExpectedAndReceived()
    {
        var e = Assert.Throws<ShapeMismatchException>(() => new Reshape(new[] { 5, 5 }, "rs").Build(new[] { new Shape(4, 4, 3) }));
        Assert.Contains("rs", e.Message);
        Assert.Contains("25 values", e.Message);
        Assert.Contains("Received: (4, 4, 3)", e.Message);
        var e2 = Assert.Throws<ShapeMismatchException>(() => new Reshape(new[] { 5, -1 }, "rs2").Build(new[] { new Shape(4, 4, 3) }));
        Assert.Contains("a multiple of 5", e2.Message);
        var e3 = Assert.Throws<ArgumentException>(() => new Reshape(new[] { -1, -1 }, "rs3"));
        Assert.Contains("Received: (-1, -1)", e3.Message);
    }
}
