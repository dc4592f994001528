using Graft.Kernels;

namespace Graft.Tests.Kernels;

/// <summary>
/// The inference plan's fused kernels (GEMM with packed weights and an epilogue, fused depthwise) against the
/// scalar references plus bias, residual and clamp, on every GEMM path the machine has. graft.sh reruns this
/// class with AVX-512, AVX2 and all intrinsics switched off.
/// </summary>
[Trait("Category", "Kernels")]
public class FusedKernelTests
{
    private static IEnumerable<GemmPath> AcceleratedPaths() => Enum.GetValues<GemmPath>().Where(GemmBlocking.IsAccelerated);

    [Theory]
    [InlineData(1, 7, 5, 1, 1, 1, 'v', 3)]      // pointwise, tiny
    [InlineData(2, 9, 11, 24, 1, 1, 's', 16)]    // pointwise, half panel
    [InlineData(3, 15, 14, 33, 1, 1, 'v', 70)]   // pointwise, ragged panels and tiles
    [InlineData(1, 6, 6, 300, 1, 1, 'v', 37)]    // pointwise, two K blocks
    [InlineData(2, 13, 13, 3, 3, 2, 's', 32)]    // stem-like 3×3 stride 2
    [InlineData(1, 10, 9, 7, 3, 1, 'v', 19)]
    [InlineData(2, 8, 8, 5, 1, 2, 'e', 9)]       // strided 1×1 with explicit padding
    public void ConvolutionMatchesReferenceOnEveryPath(int n, int h, int w, int cin, int k, int stride, char padding, int cout)
    {
        var pad = padding switch { 's' => Padding2D.Same, 'e' => Padding2D.Explicit(1, 0, 0, 2), _ => Padding2D.Valid };
        var g = Conv2DGeometry.Create(h, w, cin, k, k, stride, stride, 1, 1, pad);
        var rng = new Random(h * 100 + cout);
        var x = ConvAssert.Random(n * h * w * cin, rng);
        var kernel = ConvAssert.Random(k * k * cin * cout, rng);
        var bias = ConvAssert.Random(cout, rng);
        int outLen = n * g.OH * g.OW * cout;
        var residual = ConvAssert.Random(outLen, rng);
        var conv = new float[outLen];
        Conv2DReference.Forward(g, n, cout, x, kernel, bias, conv);
        foreach (var (lo, hi, withResidual) in new[] { (float.NegativeInfinity, float.PositiveInfinity, false), (0f, 0.5f, false), (0f, float.PositiveInfinity, true) })
        {
            var expected = conv.Select((v, i) => MathF.Min(MathF.Max(v + (withResidual ? residual[i] : 0f), lo), hi)).ToArray();
            foreach (var path in AcceleratedPaths())
            {
                var packed = new GemmPackedWeights(kernel, k * k * cin, cout, path);
                var y = new float[outLen];
                Conv2DFused.Forward(g, n, packed, x, y, bias, lo, hi, withResidual ? residual : default);
                ConvAssert.Close(expected, y, 1e-4f, $"fused conv {path} clamp [{lo}, {hi}] residual {withResidual}");
            }
        }
    }

    [Theory]
    [InlineData(5, 5, 3, 1, 's')]
    [InlineData(9, 11, 3, 1, 's')]   // wide enough for the four-pixel interior path
    [InlineData(12, 12, 3, 2, 'e')]  // MobileNetV2's ZeroPadding2D((0, 1), (0, 1)) + 'valid' stride 2
    [InlineData(9, 9, 5, 2, 's')]
    [InlineData(7, 13, 3, 1, 'v')]
    public void DepthwiseMatchesReferenceForEveryChannelCount(int h, int w, int k, int stride, char padding)
    {
        var pad = padding switch { 's' => Padding2D.Same, 'e' => Padding2D.Explicit(0, 1, 0, 1), _ => Padding2D.Valid };
        foreach (int c in Enumerable.Range(1, 40).Concat(new[] { 64, 95, 96, 144, 161 }))
        {
            var g = Conv2DGeometry.Create(h, w, c, k, k, stride, stride, 1, 1, pad);
            const int n = 2;
            var rng = new Random(c * 7 + h);
            var x = ConvAssert.Random(n * h * w * c, rng);
            var kernel = ConvAssert.Random(k * k * c, rng);
            var bias = ConvAssert.Random(c, rng);
            var expected = new float[n * g.OH * g.OW * c];
            DepthwiseConv2DReference.Forward(g, n, 1, x, kernel, bias, expected);
            for (int i = 0; i < expected.Length; i++) expected[i] = Math.Clamp(expected[i], 0f, 0.6f);
            var y = new float[expected.Length];
            DepthwiseConv2DFused.Forward(g, n, x, kernel, bias, 0f, 0.6f, y);
            ConvAssert.Close(expected, y, 1e-5f, $"fused depthwise C={c}");
        }
    }

    [Theory]
    [InlineData(13, 13, 3, 3, 2, 's')]   // MobileNet's stem
    [InlineData(12, 11, 2, 3, 1, 'v')]
    [InlineData(9, 14, 1, 5, 2, 'e')]
    [InlineData(8, 8, 3, 1, 1, 'v')]
    public void DirectConvolutionMatchesReference(int h, int w, int cin, int k, int stride, char padding)
    {
        var pad = padding switch { 's' => Padding2D.Same, 'e' => Padding2D.Explicit(2, 1, 0, 2), _ => Padding2D.Valid };
        foreach (int cout in Enumerable.Range(1, 35).Concat(new[] { 48, 64, 67 }))
        {
            var g = Conv2DGeometry.Create(h, w, cin, k, k, stride, stride, 1, 1, pad);
            const int n = 2;
            var rng = new Random(cout * 13 + h);
            var x = ConvAssert.Random(n * h * w * cin, rng);
            var kernel = ConvAssert.Random(k * k * cin * cout, rng);
            var bias = ConvAssert.Random(cout, rng);
            var expected = new float[n * g.OH * g.OW * cout];
            Conv2DReference.Forward(g, n, cout, x, kernel, bias, expected);
            for (int i = 0; i < expected.Length; i++) expected[i] = Math.Clamp(expected[i], -0.5f, 0.7f);
            var y = new float[expected.Length];
            Conv2DDirectFused.Forward(g, n, cout, x, kernel, bias, -0.5f, 0.7f, y);
            ConvAssert.Close(expected, y, 1e-5f, $"direct conv COUT={cout}");
        }
    }

    [Fact]
    public unsafe void EpilogueMatchesScalarForEveryWidth()
    {
        var rng = new Random(3);
        for (int cols = 0; cols <= 70; cols++)
        {
            const int rows = 3, ld = 80;
            var c = ConvAssert.Random(rows * ld, rng);
            var bias = ConvAssert.Random(ld, rng);
            var res = ConvAssert.Random((rows + 1) * ld, rng);
            var expected = (float[])c.Clone();
            for (int r = 0; r < rows; r++)
                for (int j = 0; j < cols; j++)
                    expected[r * ld + j] = GemmEpilogue.Scalar(c[r * ld + j], bias[j + 1], res[(r + 1) * ld + j + 1], -0.3f, 0.4f);
            fixed (float* pc = c, pb = bias, pr = res)
            {
                var e = new GemmEpilogue { Bias = pb, Residual = pr, ResidualStride = ld, Lo = -0.3f, Hi = 0.4f };
                e.Apply(pc, ld, rows, cols, row: 1, col: 1);
            }
            ConvAssert.Close(expected, c, 0f, $"epilogue width {cols}");
        }
    }
}
