using Graft.Graph;
using Graft.Kernels;
using Graft.Layers;
using Graft.Tensors;

namespace Graft.Tests.Graph;

public class ModelSplitTests
{
    [Fact]
    public void PrefixThenTailEqualsTheWholeModel()
    {
        var model = Model.Sequential(new Shape(6), new Dense(5, ActivationKind.Tanh, name: "a"), new Dense(4, ActivationKind.Relu, name: "b"), new Dense(3, ActivationKind.Softmax, name: "c"));
        var x = Tensor.FromArray(Enumerable.Range(0, 12).Select(i => (float)Math.Cos(i)).ToArray(), 2, 6);
        var whole = model.Predict(x).ToArray();
        var split = model.SplitAt("b");
        var mid = split.Prefix.Predict(x);
        Assert.Equal(whole, split.Tail.Predict(mid).ToArray());
        Assert.Same(model.GetLayer("c"), split.Tail.GetLayer("c"));
    }

    [Fact]
    public void FreezeBoundaryIsTheLastFrozenCutPoint()
    {
        var model = Model.Sequential(new Shape(6), new Dense(5, name: "a"), new Activation(ActivationKind.Relu, "a_relu"), new Dense(4, name: "b"), new Dense(3, name: "c"));
        Assert.Null(model.FindFreezeBoundary());
        model.GetLayer("a").Trainable = false;
        Assert.Equal("a_relu", model.FindFreezeBoundary());
        model.GetLayer("b").Trainable = false;
        Assert.Equal("b", model.FindFreezeBoundary());
    }

    [Fact]
    public void ASkipConnectionAcrossTheSplitIsRefused()
    {
        var input = LayerCalls.Input(4);
        var a = new Dense(4, name: "a").Call(input);
        var b = new Dense(4, name: "b").Call(a);
        var c = new Activation(ActivationKind.Linear, "c").Call(b);
        var model = new Model(input, new Dense(2, name: "d").Call(c));
        var split = model.SplitAt("b");
        Assert.Equal(2, split.Tail.Layers.Count(l => l is not InputLayer));
        // A model whose output also reads 'a' cannot be split at 'b'.
        var input2 = LayerCalls.Input(4);
        var a2 = new Dense(4, name: "a2").Call(input2);
        var b2 = new Dense(4, name: "b2").Call(a2);
        var model2 = new Model(new[] { input2 }, new[] { b2, a2 });
        var e = Assert.Throws<ArgumentException>(() => model2.SplitAt("b2"));
        Assert.Contains("b2", e.Message);
    }
}
