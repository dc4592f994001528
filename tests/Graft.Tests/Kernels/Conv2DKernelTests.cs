using Graft.Kernels;

namespace Graft.Tests.Kernels;

/// <summary>The im2col + GEMM and pointwise paths against the plain loops, over many geometries.</summary>
[Trait("Category", "Kernels")]
public class Conv2DKernelTests
{
    // h, w, cin, cout, kh, kw, stride, dilation, padding (v = valid, s = same, e = explicit 1,0,2,1)
    public static TheoryData<int, int, int, int, int, int, int, int, char> Cases => new()
    {
        { 5, 5, 3, 7, 3, 3, 1, 1, 's' },
        { 5, 5, 3, 7, 3, 3, 2, 1, 's' },
        { 13, 13, 1, 1, 5, 5, 2, 1, 's' },
        { 13, 5, 7, 3, 1, 3, 1, 1, 'v' },
        { 13, 13, 17, 5, 3, 3, 1, 2, 's' },
        { 6, 7, 4, 9, 3, 3, 2, 1, 'e' },
        { 1, 1, 33, 17, 1, 1, 1, 1, 'v' },
        { 5, 5, 17, 33, 1, 1, 1, 1, 'v' },
        { 6, 6, 5, 4, 1, 1, 2, 1, 'v' },
        { 5, 5, 3, 2, 1, 1, 1, 1, 'e' },
        { 1, 1, 3, 4, 3, 3, 1, 1, 's' },
        { 1, 5, 2, 3, 1, 5, 2, 1, 's' },
        { 9, 9, 2, 3, 3, 3, 2, 2, 'v' },
    };

    private static Padding2D Pad(char p) => p switch { 's' => Padding2D.Same, 'e' => Padding2D.Explicit(1, 0, 2, 1), _ => Padding2D.Valid };

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesReference(int h, int w, int cin, int cout, int kh, int kw, int stride, int dilation, char padding)
    {
        var g = Conv2DGeometry.Create(h, w, cin, kh, kw, stride, stride, dilation, dilation, Pad(padding));
        Run(g, 3, cout);
    }

    [Fact]
    public void ChunkedScratchGivesTheSameResult()
    {
        int saved = Conv2DKernels.ScratchFloats;
        try
        {
            // Budget below one output row: every row is its own chunk, including rows that span two images.
            Conv2DKernels.ScratchFloats = 10;
            Run(Conv2DGeometry.Create(7, 6, 3, 3, 3, 2, 2, 1, 1, Padding2D.Same), 3, 5);
            Conv2DKernels.ScratchFloats = 200;
            Run(Conv2DGeometry.Create(7, 6, 3, 3, 3, 1, 1, 1, 1, Padding2D.Explicit(2, 1, 0, 1)), 2, 4);
        }
        finally { Conv2DKernels.ScratchFloats = saved; }
    }

    private static void Run(Conv2DGeometry g, int n, int cout)
    {
        var rng = new Random(g.GetHashCode());
        var x = ConvAssert.Random(n * g.H * g.W * g.C, rng);
        var k = ConvAssert.Random(g.KH * g.KW * g.C * cout, rng);
        var bias = ConvAssert.Random(cout, rng);
        var dy = ConvAssert.Random(n * g.OH * g.OW * cout, rng);

        var yRef = new float[dy.Length];
        var y = new float[dy.Length];
        Conv2DReference.Forward(g, n, cout, x, k, bias, yRef);
        Conv2DKernels.Forward(g, n, cout, x, k, bias, y);
        ConvAssert.Close(yRef, y, 1e-5f, $"forward {g}");

        var dxRef = new float[x.Length];
        var dkRef = new float[k.Length];
        var dbRef = new float[cout];
        Conv2DReference.Backward(g, n, cout, x, k, dy, dxRef, dkRef, dbRef);
        var dx = ConvAssert.Random(x.Length, rng); // overwritten
        Conv2DKernels.BackwardInput(g, n, cout, dy, k, dx);
        ConvAssert.Close(dxRef, dx, 1e-5f, $"input gradient {g}");

        var dk = new float[k.Length];
        var db = new float[cout];
        dk[0] = 1; db[0] = 1; // accumulated, not overwritten
        dkRef[0] += 1; dbRef[0] += 1;
        Conv2DKernels.BackwardWeights(g, n, cout, x, dy, dk, db);
        ConvAssert.Close(dkRef, dk, 1e-5f, $"kernel gradient {g}");
        ConvAssert.Close(dbRef, db, 1e-5f, $"bias gradient {g}");
    }

    [Fact]
    public void RejectsMismatchedBuffers()
    {
        var g = Conv2DGeometry.Create(5, 5, 3, 3, 3, 1, 1, 1, 1, Padding2D.Valid);
        var e = Assert.Throws<ArgumentException>(() => Conv2DKernels.Forward(g, 1, 4, new float[75], new float[108], default, new float[35]));
        Assert.Contains("Received: 75, 108, 35", e.Message);
    }
}
