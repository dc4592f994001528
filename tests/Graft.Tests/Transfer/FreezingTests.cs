using Graft.Graph;
using Graft.Kernels;
using Graft.Layers;
using Graft.Tensors;
using Graft.Transfer;

namespace Graft.Tests.Transfer;

public class FreezingTests
{
    private static Model Mlp() => Model.Sequential(new Shape(4),
        new Dense(5, ActivationKind.Relu, name: "block_1_dense"), new Dense(5, ActivationKind.Relu, name: "block_2_dense"),
        new Dense(3, name: "head_dense"));

    [Fact]
    public void FreezeAllThenUnfreeze()
    {
        var m = Mlp();
        m.FreezeAll();
        Assert.Equal(0, m.Summarize().Trainable);
        m.Unfreeze();
        Assert.Equal(m.CountParameters(), m.Summarize().Trainable);
    }

    [Fact]
    public void FreezeUpToANamedLayerMovesTheBoundary()
    {
        var m = Mlp();
        m.FreezeUpTo("block_2_dense");
        var s = m.Summarize();
        Assert.Equal("head_dense", s.LowestTrainableLayer);
        Assert.Equal(5 * 3 + 3, s.Trainable);
        Assert.Equal(4 * 5 + 5 + 5 * 5 + 5, s.Frozen);
    }

    [Fact]
    public void FreezeFirstAndUnfreezeFromAgree()
    {
        var a = Mlp();
        a.FreezeFirst(1);
        var b = Mlp();
        b.UnfreezeFrom("block_2_dense");
        Assert.Equal(a.Layers.Select(l => l.Trainable), b.Layers.Select(l => l.Trainable));
        Assert.Throws<ArgumentOutOfRangeException>(() => a.FreezeFirst(4));
    }

    [Fact]
    public void PatternsSelectByGlobOrRegex()
    {
        var m = Mlp();
        Assert.Equal(2, m.Freeze("block_*"));
        Assert.Equal("head_dense", m.Summarize().LowestTrainableLayer);
        Assert.Equal(1, m.Unfreeze("^block_2"));
        Assert.Equal("block_2_dense", m.Summarize().LowestTrainableLayer);
        var e = Assert.Throws<ArgumentException>(() => m.Freeze("nothing*"));
        Assert.Contains("graft inspect", e.Message);
    }

    [Fact]
    public void UnknownLayerNameIsReported()
    {
        var e = Assert.Throws<KeyNotFoundException>(() => Mlp().FreezeUpTo("block_9"));
        Assert.Contains("block_9", e.Message);
    }
}
