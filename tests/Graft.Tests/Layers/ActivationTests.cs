using Graft.Kernels;
using Graft.Layers;
using Graft.Tensors;
using Graft.Tests.Support;

namespace Graft.Tests.Layers;

public class ActivationTests
{
    public static TheoryData<ActivationKind> All => new(Enum.GetValues<ActivationKind>());

    [Theory]
    [MemberData(nameof(All))]
    public void GradientsMatchFiniteDifferences(ActivationKind kind)
    {
        // Range 4 crosses relu6's and hard_swish's breakpoints; ε is small so probes rarely straddle a kink.
        var o = new GradientCheck.Options { Range = 4f, Epsilon = 1e-3f, MaxProbes = 200 };
        GradientCheck.Check(new Activation(kind), new[] { new Shape(2, 3, 3, 7) }, o);
    }

    [Fact]
    public void SoftmaxRowsSumToOne()
    {
        var a = new Activation(ActivationKind.Softmax);
        a.Build(new[] { new Shape(5) });
        var y = new Tensor(new Shape(2, 5));
        a.Forward(new[] { Tensor.FromArray(new float[] { 1, 2, 3, 4, 5, -100, 0, 100, 3, 3 }, 2, 5) }, y, false);
        Assert.Equal(1.0, y.Span[..5].ToArray().Sum(), 5);
        Assert.Equal(1.0, y.Span[5..].ToArray().Sum(), 5);
        Assert.True(y[7] > 0.999f);
    }

    [Fact]
    public void UnknownActivationNameIsRefusedWithTheLayerName()
    {
        var e = Assert.Throws<NotSupportedException>(() => ActivationNames.Parse("mish", "Layer 'x'"));
        Assert.Contains("Layer 'x'", e.Message);
        Assert.Contains("mish", e.Message);
    }
}
