using Graft.Kernels;

namespace Graft.Tests.Kernels;

/// <summary>
/// The SIMD depthwise kernels against the scalar reference, sweeping channel counts across every vector width and
/// tail length. graft.sh reruns this class with AVX-512, AVX2 and all intrinsics switched off.
/// </summary>
[Trait("Category", "Kernels")]
public class DepthwiseConv2DKernelTests
{
    public static IEnumerable<int> ChannelCounts => Enumerable.Range(1, 70).Concat(new[] { 127, 128, 129, 255, 256, 257 });

    [Theory]
    [InlineData(1, 5, 5, 3, 3, 1, 1, 's')]
    [InlineData(2, 5, 5, 3, 3, 1, 1, 's')]
    [InlineData(1, 5, 4, 3, 3, 2, 1, 's')]
    [InlineData(2, 5, 5, 3, 3, 1, 2, 'v')]
    [InlineData(1, 4, 5, 1, 3, 2, 1, 'e')]
    public void MatchesReferenceForEveryChannelCount(int dm, int h, int w, int kh, int kw, int stride, int dilation, char padding)
    {
        var pad = padding switch { 's' => Padding2D.Same, 'e' => Padding2D.Explicit(0, 1, 2, 1), _ => Padding2D.Valid };
        foreach (int c in ChannelCounts)
            Run(Conv2DGeometry.Create(h, w, c, kh, kw, stride, stride, dilation, dilation, pad), 2, dm);
    }

    [Theory]
    [InlineData(1, 1, 17, 3, 3, 1, 1)]
    [InlineData(13, 13, 33, 5, 5, 2, 1)]
    [InlineData(13, 13, 7, 3, 3, 1, 2)]
    [InlineData(5, 5, 16, 1, 1, 1, 2)]
    public void MatchesReferenceOnLargerImages(int h, int w, int c, int kh, int kw, int stride, int dm)
    {
        Run(Conv2DGeometry.Create(h, w, c, kh, kw, stride, stride, 1, 1, Padding2D.Same), 3, dm);
    }

    private static void Run(Conv2DGeometry g, int n, int dm)
    {
        int outC = g.C * dm;
        var rng = new Random(g.C * 31 + dm);
        var x = ConvAssert.Random(n * g.H * g.W * g.C, rng);
        var k = ConvAssert.Random(g.KH * g.KW * outC, rng);
        var bias = ConvAssert.Random(outC, rng);
        var dy = ConvAssert.Random(n * g.OH * g.OW * outC, rng);
        string what = $"C={g.C} DM={dm} {g}";

        var yRef = new float[dy.Length];
        var y = new float[dy.Length];
        DepthwiseConv2DReference.Forward(g, n, dm, x, k, bias, yRef);
        DepthwiseConv2DKernels.Forward(g, n, dm, x, k, bias, y);
        ConvAssert.Close(yRef, y, 1e-5f, "forward " + what);
        DepthwiseConv2DKernels.Forward(g, n, dm, x, k, default, y);
        DepthwiseConv2DReference.Forward(g, n, dm, x, k, default, yRef);
        ConvAssert.Close(yRef, y, 1e-5f, "forward without bias " + what);

        var dxRef = new float[x.Length];
        var dkRef = new float[k.Length];
        var dbRef = new float[outC];
        DepthwiseConv2DReference.Backward(g, n, dm, x, k, dy, dxRef, dkRef, dbRef);
        var dx = ConvAssert.Random(x.Length, rng);
        DepthwiseConv2DKernels.BackwardInput(g, n, dm, dy, k, dx);
        ConvAssert.Close(dxRef, dx, 1e-5f, "input gradient " + what);

        var dk = new float[k.Length];
        var db = new float[outC];
        dk[^1] = 2; dkRef[^1] += 2;
        DepthwiseConv2DKernels.BackwardWeights(g, n, dm, x, dy, dk, db);
        ConvAssert.Close(dkRef, dk, 1e-5f, "kernel gradient " + what);
        ConvAssert.Close(dbRef, db, 1e-5f, "bias gradient " + what);
    }
}
