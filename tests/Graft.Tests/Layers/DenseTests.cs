using Graft.Kernels;
using Graft.Layers;
using Graft.Tensors;
using Graft.Tests.Support;

namespace Graft.Tests.Layers;

public class DenseTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(3, 7, 5)]
    [InlineData(4, 17, 33)]
    public void GradientsMatchFiniteDifferences(int batch, int inF, int units)
    {
        GradientCheck.Check(new Dense(units), new[] { new Shape(batch, inF) });
    }

    [Theory]
    [InlineData(ActivationKind.Sigmoid)]
    [InlineData(ActivationKind.Tanh)]
    [InlineData(ActivationKind.Softmax)]
    [InlineData(ActivationKind.Swish)]
    public void GradientsWithFusedActivation(ActivationKind act)
    {
        GradientCheck.Check(new Dense(5, act), new[] { new Shape(3, 7) });
    }

    [Fact]
    public void AppliesToTheLastAxisOfImages()
    {
        GradientCheck.Check(new Dense(3), new[] { new Shape(2, 5, 5, 4) });
    }

    [Fact]
    public void ComputesAffineMap()
    {
        var d = new Dense(2, name: "d");
        d.Build(new[] { new Shape(3) });
        new float[] { 1, 2, 3, 4, 5, 6 }.CopyTo(d.Kernel.Value.Span);
        new float[] { 0.5f, -1 }.CopyTo(d.Bias!.Value.Span);
        var y = new Tensor(new Shape(1, 2));
        d.Forward(new[] { Tensor.FromArray(new float[] { 1, 0, -1 }, 1, 3) }, y, false);
        Assert.Equal(new[] { 1 - 5 + 0.5f, 2 - 6 - 1f }, y.ToArray());
    }

    [Fact]
    public void RejectsZeroUnitsWithExpectedAndReceived()
    {
        var e = Assert.Throws<ArgumentException>(() => new Dense(0, name: "head"));
        Assert.Contains("Expected a positive integer. Received: 0", e.Message);
    }
}
