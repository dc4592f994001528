using Graft.Graph;
using Graft.Kernels;
using Graft.Layers;
using Graft.Models;

namespace Graft.Tests.Models;

public class BlockTableTests
{
    /// <summary>A chain of identity activations named like a network's layers (enough to test grouping by name).</summary>
    private static Model Chain(IEnumerable<string> names, params Layer[] top)
    {
        var input = LayerCalls.Input(new Graft.Tensors.Shape(4), "input_1");
        var x = input;
        foreach (var n in names) x = new Activation(ActivationKind.Linear, n).Call(x);
        foreach (var l in top) x = l.Call(x);
        return new Model(input, x, "chain");
    }

    private static IEnumerable<string> MobileNetV1Names()
    {
        yield return "conv1"; yield return "conv1_bn"; yield return "conv1_relu";
        for (int k = 1; k <= 13; k++)
            foreach (var s in new[] { "conv_dw_{0}", "conv_dw_{0}_bn", "conv_dw_{0}_relu", "conv_pw_{0}", "conv_pw_{0}_bn", "conv_pw_{0}_relu" })
                yield return string.Format(s, k);
    }

    [Fact]
    public void MobileNetV1GroupsEachDepthwiseSeparableUnit()
    {
        var m = Chain(MobileNetV1Names(), new Dense(3, name: "preds"));
        var t = BlockTable.For(m);
        Assert.Equal(Architecture.MobileNetV1, t.Architecture);
        Assert.Equal(new[] { "stem" }.Concat(Enumerable.Range(1, 13).Select(k => $"block_{k}")).Append("top"), t.Select(b => b.Name));
        Assert.Equal(new[] { "input_1", "conv1", "conv1_bn", "conv1_relu" }, t["stem"].Layers.Select(l => l.Name));
        Assert.Equal(new[] { "conv_dw_7", "conv_dw_7_bn", "conv_dw_7_relu", "conv_pw_7", "conv_pw_7_bn", "conv_pw_7_relu" }, t["block_7"].Layers.Select(l => l.Name));
        Assert.Equal("preds", t["top"].Last.Name);
        Assert.Equal("block_12", t.BlockOf("conv_pw_12_bn").Name);
    }

    [Fact]
    public void FreezeUpToFreezesThroughTheBlockAndThawsTheRest()
    {
        var m = Chain(MobileNetV1Names(), new Dense(3, name: "preds"));
        var t = BlockTable.For(m);
        t.FreezeUpTo("block_12");
        Assert.False(m.GetLayer("conv_pw_12_relu").Trainable);
        Assert.False(m.GetLayer("conv1").Trainable);
        Assert.True(m.GetLayer("conv_dw_13").Trainable);
        Assert.True(m.GetLayer("preds").Trainable);
        Assert.Equal(15, m.CountParameters(trainable: true));
        Assert.Throws<KeyNotFoundException>(() => t.FreezeUpTo("block_99"));
    }

    [Fact]
    public void MobileNetV2BlocksFollowKerasNames()
    {
        var names = new List<string> { "Conv1_pad", "Conv1", "bn_Conv1", "Conv1_relu", "expanded_conv_depthwise", "expanded_conv_project", "expanded_conv_project_BN" };
        for (int k = 1; k <= 16; k++)
            names.AddRange(new[] { $"block_{k}_expand", $"block_{k}_depthwise", $"block_{k}_project", $"block_{k}_project_BN" });
        names.AddRange(new[] { "Conv_1", "Conv_1_bn", "out_relu" });
        var t = BlockTable.For(Chain(names));
        Assert.Equal(Architecture.MobileNetV2, t.Architecture);
        Assert.Equal(new[] { "stem", "block_0" }.Concat(Enumerable.Range(1, 16).Select(k => $"block_{k}")).Append("out"), t.Select(b => b.Name));
        Assert.Equal(4, t["block_5"].Layers.Count);
        Assert.Equal("out_relu", t["out"].Last.Name);
    }

    [Fact]
    public void UnknownArchitecturesGetOneBlockPerLayer()
    {
        var t = BlockTable.For(Chain(new[] { "a", "b" }));
        Assert.Equal(Architecture.Other, t.Architecture);
        Assert.Equal(new[] { "input_1", "a", "b" }, t.Select(b => b.Name));
    }
}
