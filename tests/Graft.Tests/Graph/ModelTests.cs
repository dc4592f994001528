using Graft.Graph;
using Graft.Kernels;
using Graft.Layers;
using Graft.Tensors;

namespace Graft.Tests.Graph;

public class ModelTests
{
    [Fact]
    public void BackwardStopsBelowTheLowestTrainableLayer()
    {
        var input = LayerCalls.Input(4);
        var d1 = new Dense(3, ActivationKind.Tanh, name: "d1");
        var d2 = new Dense(2, name: "d2");
        var model = new Model(input, d2.Call(d1.Call(input)));
        d1.Trainable = false;
        var x = Tensor.FromArray(new float[] { 1, 2, 3, 4, -1, -2, -3, -4 }, 2, 4);
        model.Forward(x, training: true);
        model.ZeroGrad();
        model.Backward(Tensor.FromArray(new float[] { 1, 0, 0, 1 }, 2, 2));
        Assert.Null(model.GradientOf("d1"));
        Assert.All(d1.Kernel.Grad.ToArray(), g => Assert.Equal(0f, g));
        Assert.Contains(d2.Kernel.Grad.ToArray(), g => g != 0f);
    }

    [Fact]
    public void FanOutGradientsAreSummed()
    {
        // y = d(x) + d2(x) where both consume x's node: x's gradient must be the sum of both paths.
        var input = LayerCalls.Input(3);
        var shared = new Dense(3, name: "shared");
        var h = shared.Call(input);
        var a = new Activation(ActivationKind.Linear, "a").Call(h);
        var b = new Activation(ActivationKind.Linear, "b").Call(h);
        var sum = new Dense(1, name: "sum_a");
        var model = new Model(new[] { input }, new[] { a, b });
        var x = Tensor.FromArray(new float[] { 1, 2, 3 }, 1, 3);
        model.Forward(new[] { x }, training: true);
        model.ZeroGrad();
        var g1 = Tensor.FromArray(new float[] { 1, 0, 2 }, 1, 3);
        var g2 = Tensor.FromArray(new float[] { 0, 3, 1 }, 1, 3);
        model.Backward(g1, g2);
        Assert.Equal(new float[] { 1, 3, 3 }, model.GradientOf("shared")!.ToArray());
        GC.KeepAlive(sum);
    }

    [Fact]
    public void WrongInputShapeNamesTheLayerExpectedAndReceived()
    {
        var model = Model.Sequential(new Shape(8, 8, 3), new Dense(2, name: "head"));
        var e = Assert.Throws<ShapeMismatchException>(() => model.Forward(new Tensor(new Shape(1, 9, 9, 3))));
        Assert.Contains("(N, 8, 8, 3)", e.Message);
        Assert.Contains("(1, 9, 9, 3)", e.Message);
        Assert.Contains("Hint", e.Message);
    }

    [Fact]
    public void DuplicateLayerNamesAreRefused()
    {
        var input = LayerCalls.Input(3);
        var x = new Dense(3, name: "same").Call(input);
        var y = new Dense(3, name: "same").Call(x);
        var e = Assert.Throws<ArgumentException>(() => new Model(input, y));
        Assert.Contains("'same'", e.Message);
    }

    [Fact]
    public void CutSharesWeightsAndStopsAtTheNamedLayer()
    {
        var model = Model.Sequential(new Shape(4), new Dense(3, name: "a"), new Dense(2, name: "b"));
        var cut = model.Cut("a");
        Assert.Equal(new Shape(3), cut.Outputs[0].Shape);
        Assert.Same(model.GetLayer("a"), cut.GetLayer("a"));
        Assert.False(cut.HasLayer("b"));
        Assert.Throws<KeyNotFoundException>(() => model.Cut("nope"));
    }

    [Fact]
    public void ArenaPacksWeightsWithoutChangingThem()
    {
        var model = Model.Sequential(new Shape(4), new Dense(3, name: "a"), new Dense(2, name: "b"));
        var before = model.Parameters.Select(p => p.Value.ToArray()).ToArray();
        var arena = model.CreateArena();
        Assert.Equal(4 * 3 + 3 + 3 * 2 + 2, arena.Values.Length);
        var after = model.Parameters.Select(p => p.Value.ToArray()).ToArray();
        Assert.Equal(before, after);
        Assert.Same(arena.Values, model.Parameters.First().Value.Buffer);
    }
}
