using System.Text.Json.Nodes;
using Graft.Layers;
using Graft.Tensors;
using Graft.Tests.Support;

namespace Graft.Tests.Layers;

public class PoolingTests
{
    // Max pooling is piecewise linear: random inputs almost never tie, and ε is small so that a probe rarely
    // changes which cell is the maximum.
    private static readonly GradientCheck.Options MaxOptions = new() { Epsilon = 1e-3f, MaxProbes = 64 };

    public static TheoryData<int, int, int, int, int, string> Cases => new()
    {
        // h, w, c, pool, stride, padding
        { 5, 5, 1, 2, 1, "valid" },
        { 5, 5, 3, 2, 2, "valid" },
        { 13, 13, 7, 3, 2, "same" },
        { 1, 1, 17, 2, 2, "same" },
        { 5, 13, 33, 3, 1, "same" },
        { 5, 5, 3, 2, 2, "same" },
        { 1, 5, 7, 3, 2, "same" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void MaxPoolingGradientsMatchFiniteDifferences(int h, int w, int c, int pool, int stride, string padding)
    {
        GradientCheck.Check(new MaxPooling2D(pool, stride, padding), new[] { new Shape(2, h, w, c) }, MaxOptions);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void AveragePoolingGradientsMatchFiniteDifferences(int h, int w, int c, int pool, int stride, string padding)
    {
        GradientCheck.Check(new AveragePooling2D(pool, stride, padding), new[] { new Shape(2, h, w, c) });
    }

    [Theory]
    [InlineData(5, 5, 3, false)]
    [InlineData(1, 1, 17, true)]
    [InlineData(3, 7, 33, false)]
    public void GlobalPoolingGradientsMatchFiniteDifferences(int h, int w, int c, bool keepDims)
    {
        GradientCheck.Check(new GlobalAveragePooling2D(keepDims), new[] { new Shape(2, h, w, c) });
        GradientCheck.Check(new GlobalMaxPooling2D(keepDims), new[] { new Shape(2, h, w, c) }, MaxOptions);
    }

    [Theory]
    [InlineData("maxpool_6x7x3_p2_s2_valid")]
    [InlineData("maxpool_5x5x17_p3_s1_same")]
    [InlineData("maxpool_13x13x5_p3_s2_same")]
    [InlineData("maxpool_5x6x7_p2_s2_same")]
    [InlineData("maxpool_1x5x33_p2_s2_same")]
    [InlineData("maxpool_7x7x1_p3_s2_valid")]
    [InlineData("avgpool_6x7x3_p2_s2_valid")]
    [InlineData("avgpool_5x5x17_p3_s1_same")]
    [InlineData("avgpool_13x13x5_p3_s2_same")]
    [InlineData("avgpool_5x6x7_p2_s2_same")]
    [InlineData("avgpool_1x5x33_p2_s2_same")]
    [InlineData("avgpool_7x7x1_p3_s2_valid")]
    public void ForwardMatchesTorchWithTensorFlowPadding(string fixture)
    {
        var f = LayerFixture.Load(fixture);
        var dims = f.Ints("shape");
        Pooling2D layer = fixture.StartsWith("max")
            ? new MaxPooling2D(f.Int("pool"), f.Int("stride"), f.String("padding"))
            : new AveragePooling2D(f.Int("pool"), f.Int("stride"), f.String("padding"));
        layer.Build(new[] { new Shape(dims).WithoutBatch() });
        var yDims = f.Ints("y_shape");
        Assert.Equal(new Shape(yDims).WithoutBatch(), layer.OutputShape);
        var y = new Tensor(new Shape(yDims));
        layer.Forward(new[] { f.Tensor("x", dims) }, y, training: false);
        f.AssertClose("y", f.Floats("y"), y.Span);
    }

    [Fact]
    public void SamePaddingAverageExcludesPaddedCells()
    {
        // A 3×3 image of ones, pool 2 stride 2 same: the last row/column windows hang over the edge.
        var layer = new AveragePooling2D(2, 2, "same");
        layer.Build(new[] { new Shape(3, 3, 1) });
        var y = new Tensor(new Shape(1, 2, 2, 1));
        var x = new Tensor(new Shape(1, 3, 3, 1));
        x.Span.Fill(1f);
        layer.Forward(new[] { x }, y, false);
        Assert.Equal(new[] { 1f, 1f, 1f, 1f }, y.ToArray());
    }

    [Fact]
    public void MaxGradientGoesToTheFirstOfTiedMaxima()
    {
        var layer = new MaxPooling2D(2);
        layer.Build(new[] { new Shape(2, 2, 1) });
        var x = Tensor.FromArray(new float[] { 1, 3, 3, 3 }, 1, 2, 2, 1);
        var y = new Tensor(new Shape(1, 1, 1, 1));
        layer.Forward(new[] { x }, y, true);
        var dx = new Tensor(x.Shape);
        layer.Backward(new[] { x }, y, Tensor.FromArray(new float[] { 5 }, 1, 1, 1, 1), new Tensor?[] { dx });
        Assert.Equal(new[] { 0f, 5f, 0f, 0f }, dx.ToArray());

        var global = new GlobalMaxPooling2D();
        global.Build(new[] { new Shape(2, 2, 1) });
        var gy = new Tensor(new Shape(1, 1));
        global.Forward(new[] { x }, gy, true);
        global.Backward(new[] { x }, gy, Tensor.FromArray(new float[] { 5 }, 1, 1), new Tensor?[] { dx });
        Assert.Equal(new[] { 0f, 5f, 0f, 0f }, dx.ToArray());
    }

    [Fact]
    public void GlobalPoolingKeepDimsShapes()
    {
        var a = new GlobalAveragePooling2D();
        a.Build(new[] { new Shape(7, 7, 32) });
        Assert.Equal(new Shape(32), a.OutputShape);
        var b = new GlobalAveragePooling2D(keepDims: true);
        b.Build(new[] { new Shape(7, 7, 32) });
        Assert.Equal(new Shape(1, 1, 32), b.OutputShape);
    }

    [Fact]
    public void StridesDefaultToPoolSizeAndConfigRoundTrips()
    {
        var cfg = new JsonObject { ["pool_size"] = new JsonArray(3, 3), ["strides"] = null, ["padding"] = "same", ["data_format"] = "channels_last" };
        var layer = (MaxPooling2D)LayerRegistry.Create("MaxPooling2D", "mp", cfg);
        Assert.Equal(new[] { 3, 3 }, layer.Strides);
        var written = new JsonObject();
        layer.WriteConfig(written);
        var back = (MaxPooling2D)LayerRegistry.Create("MaxPooling2D", "mp2", written);
        Assert.Equal(layer.PoolSize, back.PoolSize);
        Assert.Equal(layer.Strides, back.Strides);
        Assert.Equal(layer.Padding, back.Padding);
        var g = (GlobalAveragePooling2D)LayerRegistry.Create("GlobalAveragePooling2D", "gap", new JsonObject { ["keepdims"] = true });
        Assert.True(g.KeepDims);
        Assert.IsType<AveragePooling2D>(LayerRegistry.Create("AveragePooling2D", "ap", new JsonObject()));
        Assert.IsType<GlobalMaxPooling2D>(LayerRegistry.Create("GlobalMaxPooling2D", "gmp", new JsonObject()));
    }

    [Fact]
    public void BadSettingsAndShapesNameLayerExpectedAndReceived()
    {
        var e1 = Assert.Throws<ArgumentException>(() => new MaxPooling2D(2, padding: "full", name: "pool1"));
        Assert.Contains("pool1", e1.Message);
        Assert.Contains("Received: \"full\"", e1.Message);

        var e2 = Assert.Throws<ShapeMismatchException>(() => new AveragePooling2D(3, name: "pool2").Build(new[] { new Shape(2, 2, 4) }));
        Assert.Contains("pool2", e2.Message);
        Assert.Contains("3×3", e2.Message);
        Assert.Contains("(2, 2, 4)", e2.Message);

        var e3 = Assert.Throws<ShapeMismatchException>(() => new GlobalMaxPooling2D(name: "gmp").Build(new[] { new Shape(10) }));
        Assert.Contains("gmp", e3.Message);
        Assert.Contains("(H, W, C)", e3.Message);
        Assert.Contains("(10)", e3.Message);

        var e4 = Assert.Throws<NotSupportedException>(() => LayerRegistry.Create("MaxPooling2D", "cf", new JsonObject { ["data_format"] = "channels_first" }));
        Assert.Contains("channels_first", e4.Message);
    }
}
