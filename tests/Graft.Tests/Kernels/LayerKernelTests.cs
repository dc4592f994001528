using Graft.Kernels;
using Graft.Tests.Support;

namespace Graft.Tests.Kernels;

/// <summary>
/// Vector paths of the BatchNorm, pooling and element-wise kernels against their scalar references.
/// graft.sh reruns this category with AVX-512, AVX2 and all intrinsics switched off, so every width
/// (and the scalar tails after it) is exercised; the channel counts straddle every lane boundary.
/// </summary>
[Trait("Category", "Kernels")]
public class LayerKernelTests
{
    public static TheoryData<int> ChannelCounts => new(0, 1, 3, 7, 8, 9, 15, 16, 17, 31, 33, 63, 64, 65, 127, 129, 255, 256, 257);

    [Theory]
    [MemberData(nameof(ChannelCounts))]
    public void RowReductionsMatchScalar(int c)
    {
        var rng = new Random(c);
        int rows = 5;
        var x = Random(rows * c, rng);
        var dy = Random(rows * c, rng);
        var mean = Random(c, rng);
        var start = Random(c, rng);

        var fast = (float[])start.Clone();
        var slow = (float[])start.Clone();
        ElementwiseChannels.AccumulateRows(x, c, 1, rows, fast);
        ElementwiseChannels.AccumulateRowsScalar(x, c, 1, rows, slow);
        AssertClose(slow, fast, "AccumulateRows");

        fast = (float[])start.Clone();
        slow = (float[])start.Clone();
        ElementwiseChannels.AccumulateSquaredDeviation(x, mean, c, 0, rows, fast);
        ElementwiseChannels.AccumulateSquaredDeviationScalar(x, mean, c, 0, rows, slow);
        AssertClose(slow, fast, "AccumulateSquaredDeviation");

        var fast2 = (float[])start.Clone();
        var slow2 = (float[])start.Clone();
        fast = new float[c];
        slow = new float[c];
        ElementwiseChannels.AccumulateGradSums(dy, x, mean, c, 0, rows, fast, fast2);
        ElementwiseChannels.AccumulateGradSumsScalar(dy, x, mean, c, 0, rows, slow, slow2);
        AssertClose(slow, fast, "AccumulateGradSums Σdy");
        AssertClose(slow2, fast2, "AccumulateGradSums Σdy·x");
    }

    [Theory]
    [MemberData(nameof(ChannelCounts))]
    public void AffineRowsMatchScalar(int c)
    {
        var rng = new Random(100 + c);
        int rows = 4;
        var x = Random(rows * c, rng);
        var v = Random(rows * c, rng);
        var a = Random(c, rng);
        var b = Random(c, rng);
        var d = Random(c, rng);
        var fast = new float[rows * c];
        var slow = new float[rows * c];
        ElementwiseChannels.AffineRows(x, a, b, fast, c, 1, rows);
        ElementwiseChannels.AffineRowsScalar(x, a, b, slow, c, 1, rows);
        AssertClose(slow, fast, "AffineRows");
        ElementwiseChannels.Affine2Rows(x, v, a, b, d, fast, c, 0, rows);
        ElementwiseChannels.Affine2RowsScalar(x, v, a, b, d, slow, c, 0, rows);
        AssertClose(slow, fast, "Affine2Rows");
    }

    [Theory]
    [MemberData(nameof(ChannelCounts))]
    public void PoolingMatchesScalar(int c)
    {
        var rng = new Random(200 + c);
        foreach (var (h, w, pool, stride, same) in new[] { (5, 5, 2, 2, true), (7, 6, 3, 2, false), (4, 5, 3, 1, true), (1, 3, 2, 2, true) })
        {
            var g = PoolingGeometry.Create(h, w, c, pool, pool, stride, stride, same);
            int batch = 2;
            var x = Random(batch * g.InputSize, rng);
            if (c > 0 && w > 1) x[c] = x[0]; // pixels (0, 0) and (0, 1) tie, so the first-maximum rule is exercised
            var dy = Random(batch * g.OutputSize, rng);
            foreach (bool max in new[] { true, false })
            {
                var fast = new float[batch * g.OutputSize];
                var slow = new float[batch * g.OutputSize];
                if (max) Pooling.MaxForward(x, fast, batch, g); else Pooling.AverageForward(x, fast, batch, g);
                Pooling.ForwardScalar(max, x, slow, batch, g);
                AssertClose(slow, fast, $"{(max ? "max" : "average")} forward {h}×{w} pool {pool} stride {stride}");

                var dFast = Random(batch * g.InputSize, rng); // garbage: backward must overwrite it
                var dSlow = new float[batch * g.InputSize];
                if (max) Pooling.MaxBackward(x, dy, dFast, batch, g); else Pooling.AverageBackward(dy, dFast, batch, g);
                Pooling.BackwardScalar(max, x, dy, dSlow, batch, g);
                AssertClose(dSlow, dFast, $"{(max ? "max" : "average")} backward {h}×{w} pool {pool} stride {stride}");
            }
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(15)]
    [InlineData(17)]
    [InlineData(33)]
    [InlineData(100)]
    [InlineData(257)]
    public void ReluMatchesScalar(int n)
    {
        var rng = new Random(300 + n);
        var x = Random(n, rng);
        var dy = Random(n, rng);
        if (n > 3) { x[0] = 1.5f; x[1] = 0.25f; x[2] = -0.5f; } // exactly on the max, threshold and below
        foreach (var (max, slope, t) in new[] { (float.PositiveInfinity, 0f, 0f), (1.5f, 0.2f, 0.25f), (6f, 0.1f, -0.5f) })
        {
            var fast = new float[n];
            var slow = new float[n];
            ElementwiseRelu.Forward(x, fast, max, slope, t);
            for (int i = 0; i < n; i++) slow[i] = ElementwiseRelu.Scalar(x[i], max, slope, t);
            AssertClose(slow, fast, $"relu forward max {max} slope {slope} threshold {t}");
            ElementwiseRelu.Backward(x, dy, fast, max, slope, t);
            for (int i = 0; i < n; i++) slow[i] = ElementwiseRelu.ScalarGradient(x[i], dy[i], max, slope, t);
            AssertClose(slow, fast, $"relu backward max {max} slope {slope} threshold {t}");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(33)]
    [InlineData(257)]
    public void ReluGradientFromTheOutputHasTheBitsOfTheGradientFromTheInput(int n)
    {
        // Special values first (the zeros, the kinks, infinities, NaN), then random ones around them;
        // the vector paths see them at n ≥ 16, the scalar tail otherwise.
        float[] special = [-0f, 0f, 6f, 0.25f, -1e-30f, 1e-30f, float.NegativeInfinity, float.PositiveInfinity, float.NaN, -3f, 5.999f, 7f, -0f, 0.25f, 1.5f, -0f];
        var rng = new Random(500 + n);
        var x = Random(n, rng);
        for (int i = 0; i < n; i++) x[i] *= 8f;
        for (int i = 0; i < Math.Min(n, special.Length); i++) x[(i * 7) % n] = special[i];
        var dy = Random(n, rng);
        if (n > 2) dy[1] = -dy[1];
        foreach (var (max, t) in new[] { (float.PositiveInfinity, 0f), (6f, 0f), (1.5f, 0.25f), (6f, -0f) })
        {
            Assert.True(ElementwiseRelu.CanUseOutput(max, 0f, t));
            var y = new float[n];
            ElementwiseRelu.Forward(x, y, max, 0f, t);
            for (int i = 0; i < n; i++)
            {
                Assert.Equal(BitConverter.SingleToInt32Bits(ElementwiseRelu.Scalar(x[i], max, 0f, t)), BitConverter.SingleToInt32Bits(y[i]));
                if (x[i] == 0 && t == 0) Assert.Equal(0, BitConverter.SingleToInt32Bits(y[i])); // −0 comes out +0
            }
            var fromInput = new float[n];
            var fromOutput = new float[n];
            ElementwiseRelu.Backward(x, dy, fromInput, max, 0f, t);
            ElementwiseRelu.BackwardFromOutput(y, dy, fromOutput, max, 0f, t);
            for (int i = 0; i < n; i++)
            {
                Assert.True(BitConverter.SingleToInt32Bits(fromInput[i]) == BitConverter.SingleToInt32Bits(fromOutput[i]),
                    $"max {max} threshold {t}: x {x[i]:R} y {y[i]:R} dy {dy[i]:R}: {fromInput[i]:R} from the input, {fromOutput[i]:R} from the output");
                Assert.Equal(BitConverter.SingleToInt32Bits(fromInput[i]), BitConverter.SingleToInt32Bits(ElementwiseRelu.ScalarGradientFromOutput(y[i], dy[i], max, 0f, t)));
            }
        }
        Assert.False(ElementwiseRelu.CanUseOutput(float.PositiveInfinity, 0.2f, 0f)); // leaky: negative outputs overlap the inputs' range
        Assert.False(ElementwiseRelu.CanUseOutput(float.PositiveInfinity, -0f, 0f));  // −0 · negative is +0
        Assert.False(ElementwiseRelu.CanUseOutput(6f, 0f, -0.5f));
    }

    [Fact]
    public void ActivationReluGradientFromTheOutputHasTheBitsOfTheGradientFromTheInput()
    {
        float[] special = [-0f, 0f, 6f, -1e-30f, 1e-30f, float.NegativeInfinity, float.PositiveInfinity, float.NaN, -3f, 5.999f, 7f, 3f];
        var rng = new Random(77);
        var x = special.Concat(Random(100, rng).Select(v => v * 8f)).ToArray();
        var dy = Random(x.Length, rng);
        foreach (var kind in new[] { ActivationKind.Relu, ActivationKind.Relu6 })
        {
            var y = new float[x.Length];
            Activations.Forward(kind, x, y, x.Length);
            var fromInput = new float[x.Length];
            var fromOutput = new float[x.Length];
            Activations.Backward(kind, x, y, dy, fromInput, x.Length);
            Graft.Layers.Activation.BackwardFromOutput(kind, y, dy, fromOutput);
            Assert.Equal(fromInput.Select(BitConverter.SingleToInt32Bits), fromOutput.Select(BitConverter.SingleToInt32Bits));
        }
    }

    [Fact]
    public void BatchNormMomentsMatchDoublePrecisionAcrossGroupsAndThreads()
    {
        // 3000 rows is several reduction groups; the result must not depend on the thread count.
        int rows = 3000, c = 19;
        var x = Random(rows * c, new Random(7));
        var mean = new float[c];
        var variance = new float[c];
        BatchNorm.Moments(x, c, mean, variance);
        int saved = Parallelism.MaxThreads;
        var mean1 = new float[c];
        var variance1 = new float[c];
        try
        {
            Parallelism.MaxThreads = 1;
            BatchNorm.Moments(x, c, mean1, variance1);
        }
        finally { Parallelism.MaxThreads = saved; }
        Assert.Equal(mean, mean1);
        Assert.Equal(variance, variance1);
        for (int ch = 0; ch < c; ch++)
        {
            double m = 0, v = 0;
            for (int r = 0; r < rows; r++) m += x[r * c + ch];
            m /= rows;
            for (int r = 0; r < rows; r++) v += (x[r * c + ch] - m) * (x[r * c + ch] - m);
            Assert.Equal(m, mean[ch], 1e-5);
            Assert.Equal(v / rows, variance[ch], 1e-5);
        }
    }

    internal static float[] Random(int n, Random rng) => GradientCheck.Random(new Graft.Tensors.Shape(n), rng, 2f).ToArray();

    internal static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            if (!(Math.Abs(expected[i] - actual[i]) <= 1e-5f + 1e-5f * Math.Abs(expected[i])))
                throw new Xunit.Sdk.XunitException($"{what}: [{i}] scalar {expected[i]:G9}, vector {actual[i]:G9} (of {expected.Length})");
    }
}
