using System.Text.Json.Nodes;
using Graft.Layers;
using Graft.Tensors;
using Graft.Tests.Support;

namespace Graft.Tests.Layers;

public class MergeTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void AddAndMultiplyGradientsMatchFiniteDifferences(int inputs)
    {
        var shapes = Enumerable.Repeat(new Shape(2, 3, 3, 5), inputs).ToArray();
        GradientCheck.Check(new Add(), shapes);
        GradientCheck.Check(new Multiply(), shapes);
    }

    [Fact]
    public void ConcatenateGradientsMatchFiniteDifferencesOnChannels()
    {
        GradientCheck.Check(new Concatenate(), new[] { new Shape(2, 3, 3, 1), new Shape(2, 3, 3, 7) });
        GradientCheck.Check(new Concatenate(3), new[] { new Shape(2, 2, 3, 3), new Shape(2, 2, 3, 17), new Shape(2, 2, 3, 2) });
    }

    [Fact]
    public void ConcatenateJoinsChannelsAndOtherAxes()
    {
        var a = Tensor.FromArray(new float[] { 1, 2, 3, 4 }, 1, 1, 2, 2);
        var b = Tensor.FromArray(new float[] { 9, 8 }, 1, 1, 2, 1);
        var c = new Concatenate(-1);
        c.Build(new[] { new Shape(1, 2, 2), new Shape(1, 2, 1) });
        var y = new Tensor(new Shape(1, 1, 2, 3));
        c.Forward(new[] { a, b }, y, false);
        Assert.Equal(new float[] { 1, 2, 9, 3, 4, 8 }, y.ToArray());

        var w = new Concatenate(2);
        w.Build(new[] { new Shape(1, 2, 2), new Shape(1, 1, 2) });
        Assert.Equal(new Shape(1, 3, 2), w.OutputShape);
        var y2 = new Tensor(new Shape(1, 1, 3, 2));
        w.Forward(new[] { a, Tensor.FromArray(new float[] { 7, 6 }, 1, 1, 1, 2) }, y2, false);
        Assert.Equal(new float[] { 1, 2, 3, 4, 7, 6 }, y2.ToArray());
        GradientCheck.Check(new Concatenate(1), new[] { new Shape(2, 3, 2, 3), new Shape(2, 1, 2, 3) });
    }

    [Fact]
    public void MismatchedShapesNameLayerExpectedAndReceived()
    {
        var e = Assert.Throws<ShapeMismatchException>(() => new Add(name: "add_1").Build(new[] { new Shape(4, 4, 8), new Shape(4, 4, 16) }));
        Assert.Contains("add_1", e.Message);
        Assert.Contains("(4, 4, 8)", e.Message);
        Assert.Contains("Received: (4, 4, 16)", e.Message);

        var e2 = Assert.Throws<ShapeMismatchException>(() => new Concatenate(name: "cat").Build(new[] { new Shape(4, 4, 8), new Shape(5, 4, 2) }));
        Assert.Contains("cat", e2.Message);
        Assert.Contains("(4, 4, *)", e2.Message);
        Assert.Contains("Received: (5, 4, 2)", e2.Message);

        var e3 = Assert.Throws<ArgumentException>(() => new Concatenate(0, name: "cat0").Build(new[] { new Shape(2), new Shape(2) }));
        Assert.Contains("cat0", e3.Message);
        Assert.Contains("Received: 0", e3.Message);

        var e4 = Assert.Throws<ArgumentException>(() => new Multiply(name: "mul").Build(new[] { new Shape(3) }));
        Assert.Contains("mul", e4.Message);
        Assert.Contains("Received: 1", e4.Message);
    }

    [Fact]
    public void BuildFromConfig()
    {
        Assert.IsType<Add>(LayerRegistry.Create("Add", "a", new JsonObject()));
        Assert.IsType<Multiply>(LayerRegistry.Create("Multiply", "m", new JsonObject()));
        Assert.Equal(3, ((Concatenate)LayerRegistry.Create("Concatenate", "c", new JsonObject { ["axis"] = 3 })).Axis);
    }
}
