using Graft.Kernels;

namespace Graft.Tests.Kernels;

[Trait("Category", "Kernels")]
public class GemmTests
{
    // Paths go by name: GemmPath is internal and test methods are public.
    private static IEnumerable<GemmPath> AcceleratedPaths() => Enum.GetValues<GemmPath>().Where(GemmBlocking.IsAccelerated);

    /// <summary>Every path this machine (or this run's DOTNET_Enable* settings) accelerates, plus scalar.</summary>
    public static TheoryData<string> Paths() => new(AcceleratedPaths().Select(p => p.ToString()));

    public static TheoryData<string, bool, bool> PathsAndTransposes()
    {
        var data = new TheoryData<string, bool, bool>();
        foreach (var p in AcceleratedPaths())
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                    data.Add(p.ToString(), ta, tb);
        return data;
    }

    [Theory]
    [MemberData(nameof(PathsAndTransposes))]
    public void MatchesReferenceForEveryTransposeAndScaling(string pathName, bool transA, bool transB)
    {
        var path = Enum.Parse<GemmPath>(pathName);
        // Sizes cross the Mr/Nr tile edges, and k = 300 crosses the K block (beta applies only once).
        foreach (var (alpha, beta) in new[] { (1f, 0f), (1f, 1f), (0.5f, -2f), (-1.5f, 0.25f) })
        {
            Check(path, transA, transB, 29, 37, 13, alpha, beta);
            Check(path, transA, transB, 50, 67, 300, alpha, beta);
        }
    }

    [Theory]
    [MemberData(nameof(PathsAndTransposes))]
    public void HonoursLeadingDimensionsWiderThanTheMatrix(string pathName, bool transA, bool transB)
    {
        var path = Enum.Parse<GemmPath>(pathName);
        Check(path, transA, transB, 23, 41, 35, 1f, 0.5f, padA: 7, padB: 3, padC: 5);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void SweepsEveryDimensionFrom0To257(string pathName)
    {
        var path = Enum.Parse<GemmPath>(pathName);
        // One dimension sweeps while the others stay small and odd, so every ragged tile width is reached.
        for (int s = 0; s <= 257; s++)
        {
            Check(path, false, false, s, 19, 11, 1f, 0f, seed: s);
            Check(path, false, true, 29, s, 17, 1f, 1f, seed: s);
            if (s % 3 == 0 || s > 250) Check(path, true, false, 7, 9, s, 1f, 0f, seed: s);
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void CrossesEveryCacheBlock(string pathName)
    {
        var path = Enum.Parse<GemmPath>(pathName);
        var bl = GemmBlocked.Blocking(path);
        Check(path, false, false, bl.Mc + 3, bl.Nc + 5, bl.Kc + 1, 1f, 1f);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void FewRowsReadBInPlaceAcrossKBlocks(string pathName)
    {
        // m within four tiles: the AVX-512 path reads full B panels in place (rows ldb apart) and packs the
        // ragged last one; K crosses a deep K block, so the later blocks accumulate onto C.
        var path = Enum.Parse<GemmPath>(pathName);
        Check(path, false, false, 30, 70, 1100, 1f, 0.5f, padB: 5);
        Check(path, false, false, 56, 64, 1500, 2f, 0f, padA: 3, padB: 1, padC: 2);
        Check(path, true, false, 3, 96, 40, 1f, 0f, padB: 7);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void PacksRowsWhoseStrideWouldCrowdTheCache(string pathName)
    {
        // lda = 2048: the AVX-512 path packs A instead of reading it in place; K crosses a deep K block.
        var path = Enum.Parse<GemmPath>(pathName);
        Check(path, false, false, 45, 70, 2000, 1f, 0.5f, padA: 48);
        Check(path, false, true, 17, 33, 1100, -1f, 0f, padA: 948);
    }

    [Theory]
    [InlineData(12544, 64, 576)]
    [InlineData(32, 1000, 1280)]
    [InlineData(3136, 144, 24)]
    [InlineData(3136, 24, 144)]
    [InlineData(1, 1000, 1280)]
    public void MatchesReferenceOnNetworkShapes(int m, int n, int k)
    {
        Check(GemmBlocking.Best, false, false, m, n, k, 1f, 0f);
    }

    [Theory]
    [InlineData(0, 5, 3)]
    [InlineData(5, 0, 3)]
    [InlineData(1, 1, 1)]
    [InlineData(1, 7, 1)]
    [InlineData(7, 1, 1)]
    [InlineData(1, 1, 9)]
    public void HandlesDegenerateSizes(int m, int n, int k)
    {
        foreach (bool ta in new[] { false, true })
            foreach (bool tb in new[] { false, true })
                Check(GemmBlocking.Best, ta, tb, m, n, k, 2f, 0.5f);
    }

    [Fact]
    public void ZeroKOrZeroAlphaOnlyScalesC()
    {
        var c = new float[] { 1, 2, 3, 4 };
        Gemm.Sgemm(false, false, 2, 2, 0, 1f, ReadOnlySpan<float>.Empty, 0, ReadOnlySpan<float>.Empty, 2, 3f, c, 2);
        Assert.Equal(new float[] { 3, 6, 9, 12 }, c);
        var a = new float[] { float.NaN, 1, 1, 1 };
        Gemm.Sgemm(false, false, 2, 2, 2, 0f, a, 2, a, 2, 0f, c, 2);
        Assert.Equal(new float[4], c);
    }

    [Fact]
    public void BetaZeroOverwritesNaNGarbage()
    {
        foreach (var path in AcceleratedPaths())
        {
            // Check fills C with NaN before every beta = 0 call.
            Check(path, false, false, 31, 45, 20, 1f, 0f);
            Check(path, true, true, 15, 16, 3, 1f, 0f);
        }
    }

    [Theory]
    [InlineData(300, 200, 150)] // split over rows of C
    [InlineData(5, 900, 200)]   // split over columns of C
    public void MultiThreadedEqualsSingleThreadedExactly(int m, int n, int k)
    {
        var rng = new Random(7);
        var a = Random(rng, m * k);
        var b = Random(rng, k * n);
        var c0 = Random(rng, m * n);
        var c1 = (float[])c0.Clone();
        var c4 = (float[])c0.Clone();
        int saved = Parallelism.MaxThreads;
        try
        {
            Parallelism.MaxThreads = 1;
            Gemm.Sgemm(false, true, m, n, k, 1f, a, k, b, k, 0.5f, c1, n);
            Parallelism.MaxThreads = 4;
            Gemm.Sgemm(false, true, m, n, k, 1f, a, k, b, k, 0.5f, c4, n);
        }
        finally { Parallelism.MaxThreads = saved; }
        Assert.Equal(c1, c4);
    }

    [Fact]
    public void SteadyStateCallsAllocateNothing()
    {
        var a = new float[200 * 300];
        var b = new float[300 * 100];
        var c = new float[200 * 100];
        int saved = Parallelism.MaxThreads;
        try
        {
            Parallelism.MaxThreads = 1;
            void Both()
            {
                Gemm.Sgemm(false, false, 200, 100, 300, 1f, a, 300, b, 100, 0f, c, 100);
                Gemm.Sgemm(true, true, 100, 200, 300, 1f, b, 100, a, 300, 1f, c, 200);
            }
            Both(); // grows this thread's packing buffers
            long before = GC.GetAllocatedBytesForCurrentThread();
            Both();
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        finally { Parallelism.MaxThreads = saved; }
    }

    [Theory]
    [InlineData(8, 8)]
    [InlineData(1, 1)]
    [InlineData(14, 37)]
    [InlineData(17, 9)]
    [InlineData(32, 64)]
    public unsafe void PackingTransposeIsExact(int rows, int cols)
    {
        // The packing transpose (8×8 register blocks where AVX exists, one value at a time otherwise), with
        // strides wider than the matrices: every value lands at its place and nothing outside is written.
        int ldSrc = cols + 3, ldDst = rows + 5;
        var src = Operand(new Random(rows * 100 + cols), rows, cols, ldSrc);
        var dst = new float[cols * ldDst];
        Array.Fill(dst, -7f);
        fixed (float* s = src, d = dst) GemmPacking.Transpose(s, ldSrc, rows, cols, d, ldDst);
        for (int p = 0; p < cols; p++)
            for (int r = 0; r < ldDst; r++)
                Assert.Equal(r < rows ? src[r * ldSrc + p] : -7f, dst[p * ldDst + r]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void WideColumnSplitEqualsSingleThreadedExactly(int threads)
    {
        // Big enough to be split into column blocks handed out dynamically, with a ragged last block.
        const int m = 61, n = 1000, k = 300;
        var rng = new Random(11);
        var a = Random(rng, m * k);
        var b = Random(rng, k * n);
        var c0 = Random(rng, m * n);
        var c1 = (float[])c0.Clone();
        var ct = (float[])c0.Clone();
        int saved = Parallelism.MaxThreads;
        try
        {
            Parallelism.MaxThreads = 1;
            Gemm.Sgemm(false, false, m, n, k, 1f, a, k, b, n, 0.5f, c1, n);
            Parallelism.MaxThreads = threads;
            Gemm.Sgemm(false, false, m, n, k, 1f, a, k, b, n, 0.5f, ct, n);
        }
        finally { Parallelism.MaxThreads = saved; }
        Assert.Equal(c1, ct);
    }

    [Fact]
    public void RejectsOperandsThatAreTooShort()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            Gemm.Sgemm(false, false, 3, 3, 3, 1f, new float[8], 3, new float[9], 3, 0f, new float[9], 3));
        Assert.Contains("needs 9 floats. Received: 8", e.Message);
        e = Assert.Throws<ArgumentException>(() =>
            Gemm.Sgemm(false, false, 3, 3, 3, 1f, new float[9], 2, new float[9], 3, 0f, new float[9], 3));
        Assert.Contains("at least its row width 3. Received: 2", e.Message);
    }

    private static void Check(GemmPath path, bool transA, bool transB, int m, int n, int k, float alpha, float beta,
        int padA = 0, int padB = 0, int padC = 0, int seed = 1)
    {
        var rng = new Random(seed);
        int lda = (transA ? m : k) + padA, ldb = (transB ? k : n) + padB, ldc = n + padC;
        var a = Operand(rng, transA ? k : m, transA ? m : k, lda);
        var b = Operand(rng, transB ? n : k, transB ? k : n, ldb);
        var c = Operand(rng, m, n, ldc);
        if (beta == 0) Array.Fill(c, float.NaN);
        var expected = (float[])c.Clone();
        if (beta == 0) Array.Clear(expected);
        Gemm.Reference(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, expected, ldc);
        if (beta == 0)
            for (int i = 0; i < m; i++)
                for (int j = n; j < ldc && i * ldc + j < c.Length; j++) expected[i * ldc + j] = float.NaN;
        Gemm.Sgemm(path, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

        float tol = 1e-5f * (MathF.Sqrt(k) * MathF.Abs(alpha) * MathF.Sqrt(k) / 4 + MathF.Abs(beta) + 1);
        float maxDiff = 0;
        int bad = -1;
        for (int i = 0; i < m; i++)
            for (int j = 0; j < ldc && i * ldc + j < c.Length; j++)
            {
                int idx = i * ldc + j;
                bool inside = j < n;
                float diff = inside ? MathF.Abs(c[idx] - expected[idx]) : (c[idx].Equals(expected[idx]) ? 0 : float.PositiveInfinity);
                if (!(diff <= maxDiff)) { maxDiff = float.IsNaN(diff) ? float.PositiveInfinity : diff; if (diff > tol || float.IsNaN(diff)) bad = idx; }
            }
        Assert.True(bad < 0,
            $"{path} transA={transA} transB={transB} m={m} n={n} k={k} alpha={alpha} beta={beta} lda={lda} ldb={ldb} ldc={ldc}: " +
            $"max diff {maxDiff} > tol {tol} at C[{bad / Math.Max(ldc, 1)}, {bad % Math.Max(ldc, 1)}]: got {(bad >= 0 ? c[bad] : 0)}, expected {(bad >= 0 ? expected[bad] : 0)}. " +
            $"First values got [{string.Join(", ", c.Take(4))}] expected [{string.Join(", ", expected.Take(4))}].");
    }

    /// <summary>A rows×cols matrix with row stride ld; the gap after each row holds NaN so reading it shows up.</summary>
    private static float[] Operand(Random rng, int rows, int cols, int ld)
    {
        if (rows == 0 || cols == 0) return new float[Math.Max(0, rows * ld)];
        var x = new float[(rows - 1) * ld + cols];
        for (int i = 0; i < x.Length; i++) x[i] = i % ld < cols ? rng.NextSingle() * 2 - 1 : float.NaN;
        return x;
    }

    private static float[] Random(Random rng, int length)
    {
        var x = new float[length];
        for (int i = 0; i < length; i++) x[i] = rng.NextSingle() * 2 - 1;
        return x;
    }
}
