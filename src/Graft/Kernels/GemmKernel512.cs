using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Graft.Kernels;

/// <summary>
/// AVX-512 micro-kernel: a 14×32 tile of C lives in 28 zmm accumulators (c{row}_{half}: lane j of half h
/// holds column 16h + j of that row). Each k step loads one 32-float row of the packed B panel into two
/// registers and broadcasts the 14 packed A values of that column, one at a time, so 28 + 2 of the 32
/// registers are busy and the FMA ports never wait on a dependency (FMA latency 4 × 2 ports &lt; 28 chains).
/// </summary>
internal static unsafe class GemmKernel512
{
    public const int Mr = 14, Nr = 32;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchC(float* c, nint ldc)
    {
        if (!Sse.IsSupported) return;
        for (int r = 0; r < Mr; r++, c += ldc)
        {
            Sse.Prefetch0(c);
            Sse.Prefetch0(c + 16);
        }
    }

    /// <summary>
    /// C[0..14, 0..32) = alpha · A·B + beta · C over one packed A panel (14 rows) and B panel (32 columns); the
    /// B rows are <paramref name="ldb"/> floats apart: 32 when packed, the row stride when B is read in place.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta, nint ldb = Nr)
    {
        Vector512<float> c0_0, c0_1, c1_0, c1_1, c2_0, c2_1, c3_0, c3_1, c4_0, c4_1, c5_0, c5_1, c6_0, c6_1, c7_0, c7_1, c8_0, c8_1, c9_0, c9_1, c10_0, c10_1, c11_0, c11_1, c12_0, c12_1, c13_0, c13_1;
        c0_0 = c0_1 = c1_0 = c1_1 = c2_0 = c2_1 = c3_0 = c3_1 = c4_0 = c4_1 = c5_0 = c5_1 = c6_0 = c6_1 = c7_0 = c7_1 = c8_0 = c8_1 = c9_0 = c9_1 = c10_0 = c10_1 = c11_0 = c11_1 = c12_0 = c12_1 = c13_0 = c13_1 = Vector512<float>.Zero;
        // Fetch the C tile now: its rows are ldc apart (often a page or more), so on large C the epilogue would
        // otherwise stall on 14 cache misses at once. The k loop below hides their latency.
        if (kc >= 64) PrefetchC(c, ldc);
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + 16);
            var a0 = Vector512.Create(a[0]);
            c0_0 = Vector512.MultiplyAddEstimate(a0, b0, c0_0);
            c0_1 = Vector512.MultiplyAddEstimate(a0, b1, c0_1);
            var a1 = Vector512.Create(a[1]);
            c1_0 = Vector512.MultiplyAddEstimate(a1, b0, c1_0);
            c1_1 = Vector512.MultiplyAddEstimate(a1, b1, c1_1);
            var a2 = Vector512.Create(a[2]);
            c2_0 = Vector512.MultiplyAddEstimate(a2, b0, c2_0);
            c2_1 = Vector512.MultiplyAddEstimate(a2, b1, c2_1);
            var a3 = Vector512.Create(a[3]);
            c3_0 = Vector512.MultiplyAddEstimate(a3, b0, c3_0);
            c3_1 = Vector512.MultiplyAddEstimate(a3, b1, c3_1);
            var a4 = Vector512.Create(a[4]);
            c4_0 = Vector512.MultiplyAddEstimate(a4, b0, c4_0);
            c4_1 = Vector512.MultiplyAddEstimate(a4, b1, c4_1);
            var a5 = Vector512.Create(a[5]);
            c5_0 = Vector512.MultiplyAddEstimate(a5, b0, c5_0);
            c5_1 = Vector512.MultiplyAddEstimate(a5, b1, c5_1);
            var a6 = Vector512.Create(a[6]);
            c6_0 = Vector512.MultiplyAddEstimate(a6, b0, c6_0);
            c6_1 = Vector512.MultiplyAddEstimate(a6, b1, c6_1);
            var a7 = Vector512.Create(a[7]);
            c7_0 = Vector512.MultiplyAddEstimate(a7, b0, c7_0);
            c7_1 = Vector512.MultiplyAddEstimate(a7, b1, c7_1);
            var a8 = Vector512.Create(a[8]);
            c8_0 = Vector512.MultiplyAddEstimate(a8, b0, c8_0);
            c8_1 = Vector512.MultiplyAddEstimate(a8, b1, c8_1);
            var a9 = Vector512.Create(a[9]);
            c9_0 = Vector512.MultiplyAddEstimate(a9, b0, c9_0);
            c9_1 = Vector512.MultiplyAddEstimate(a9, b1, c9_1);
            var a10 = Vector512.Create(a[10]);
            c10_0 = Vector512.MultiplyAddEstimate(a10, b0, c10_0);
            c10_1 = Vector512.MultiplyAddEstimate(a10, b1, c10_1);
            var a11 = Vector512.Create(a[11]);
            c11_0 = Vector512.MultiplyAddEstimate(a11, b0, c11_0);
            c11_1 = Vector512.MultiplyAddEstimate(a11, b1, c11_1);
            var a12 = Vector512.Create(a[12]);
            c12_0 = Vector512.MultiplyAddEstimate(a12, b0, c12_0);
            c12_1 = Vector512.MultiplyAddEstimate(a12, b1, c12_1);
            var a13 = Vector512.Create(a[13]);
            c13_0 = Vector512.MultiplyAddEstimate(a13, b0, c13_0);
            c13_1 = Vector512.MultiplyAddEstimate(a13, b1, c13_1);
            a += 14;
            b += ldb;
        }
        var va = Vector512.Create(alpha);
        if (beta == 0)
        {
            Vector512.Store(c0_0 * va, c);
            Vector512.Store(c0_1 * va, c + 16);
            Vector512.Store(c1_0 * va, c + 1 * ldc);
            Vector512.Store(c1_1 * va, c + 1 * ldc + 16);
            Vector512.Store(c2_0 * va, c + 2 * ldc);
            Vector512.Store(c2_1 * va, c + 2 * ldc + 16);
            Vector512.Store(c3_0 * va, c + 3 * ldc);
            Vector512.Store(c3_1 * va, c + 3 * ldc + 16);
            Vector512.Store(c4_0 * va, c + 4 * ldc);
            Vector512.Store(c4_1 * va, c + 4 * ldc + 16);
            Vector512.Store(c5_0 * va, c + 5 * ldc);
            Vector512.Store(c5_1 * va, c + 5 * ldc + 16);
            Vector512.Store(c6_0 * va, c + 6 * ldc);
            Vector512.Store(c6_1 * va, c + 6 * ldc + 16);
            Vector512.Store(c7_0 * va, c + 7 * ldc);
            Vector512.Store(c7_1 * va, c + 7 * ldc + 16);
            Vector512.Store(c8_0 * va, c + 8 * ldc);
            Vector512.Store(c8_1 * va, c + 8 * ldc + 16);
            Vector512.Store(c9_0 * va, c + 9 * ldc);
            Vector512.Store(c9_1 * va, c + 9 * ldc + 16);
            Vector512.Store(c10_0 * va, c + 10 * ldc);
            Vector512.Store(c10_1 * va, c + 10 * ldc + 16);
            Vector512.Store(c11_0 * va, c + 11 * ldc);
            Vector512.Store(c11_1 * va, c + 11 * ldc + 16);
            Vector512.Store(c12_0 * va, c + 12 * ldc);
            Vector512.Store(c12_1 * va, c + 12 * ldc + 16);
            Vector512.Store(c13_0 * va, c + 13 * ldc);
            Vector512.Store(c13_1 * va, c + 13 * ldc + 16);
        }
        else
        {
            var vb = Vector512.Create(beta);
            { var q = c; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c0_0 * va), q); }
            { var q = c + 16; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c0_1 * va), q); }
            { var q = c + 1 * ldc; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c1_0 * va), q); }
            { var q = c + 1 * ldc + 16; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c1_1 * va), q); }
            { var q = c + 2 * ldc; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c2_0 * va), q); }
            { var q = c + 2 * ldc + 16; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c2_1 * va), q); }
            { var q = c + 3 * ldc; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c3_0 * va), q); }
            { var q = c + 3 * ldc + 16; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c3_1 * va), q); }
            { var q = c + 4 * ldc; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c4_0 * va), q); }
            { var q = c + 4 * ldc + 16; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c4_1 * va), q); }
            { var q = c + 5 * ldc; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c5_0 * va), q); }
            { var q = c + 5 * ldc + 16; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c5_1 * va), q); }
            { var q = c + 6 * ldc; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c6_0 * va), q); }
            { var q = c + 6 * ldc + 16; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c6_1 * va), q); }
            { var q = c + 7 * ldc; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c7_0 * va), q); }
            { var q = c + 7 * ldc + 16; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c7_1 * va), q); }
            { var q = c + 8 * ldc; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c8_0 * va), q); }
            { var q = c + 8 * ldc + 16; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c8_1 * va), q); }
            { var q = c + 9 * ldc; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c9_0 * va), q); }
            { var q = c + 9 * ldc + 16; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c9_1 * va), q); }
            { var q = c + 10 * ldc; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c10_0 * va), q); }
            { var q = c + 10 * ldc + 16; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c10_1 * va), q); }
            { var q = c + 11 * ldc; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c11_0 * va), q); }
            { var q = c + 11 * ldc + 16; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c11_1 * va), q); }
            { var q = c + 12 * ldc; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c12_0 * va), q); }
            { var q = c + 12 * ldc + 16; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c12_1 * va), q); }
            { var q = c + 13 * ldc; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c13_0 * va), q); }
            { var q = c + 13 * ldc + 16; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c13_1 * va), q); }
        }
    }

    /// <summary>The left 16 columns only: the last B panel of an N that ends within half a panel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void HalfTile(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
    {
        Vector512<float> c0_0, c1_0, c2_0, c3_0, c4_0, c5_0, c6_0, c7_0, c8_0, c9_0, c10_0, c11_0, c12_0, c13_0;
        c0_0 = c1_0 = c2_0 = c3_0 = c4_0 = c5_0 = c6_0 = c7_0 = c8_0 = c9_0 = c10_0 = c11_0 = c12_0 = c13_0 = Vector512<float>.Zero;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b);
            var a0 = Vector512.Create(a[0]);
            c0_0 = Vector512.MultiplyAddEstimate(a0, b0, c0_0);
            var a1 = Vector512.Create(a[1]);
            c1_0 = Vector512.MultiplyAddEstimate(a1, b0, c1_0);
            var a2 = Vector512.Create(a[2]);
            c2_0 = Vector512.MultiplyAddEstimate(a2, b0, c2_0);
            var a3 = Vector512.Create(a[3]);
            c3_0 = Vector512.MultiplyAddEstimate(a3, b0, c3_0);
            var a4 = Vector512.Create(a[4]);
            c4_0 = Vector512.MultiplyAddEstimate(a4, b0, c4_0);
            var a5 = Vector512.Create(a[5]);
            c5_0 = Vector512.MultiplyAddEstimate(a5, b0, c5_0);
            var a6 = Vector512.Create(a[6]);
            c6_0 = Vector512.MultiplyAddEstimate(a6, b0, c6_0);
            var a7 = Vector512.Create(a[7]);
            c7_0 = Vector512.MultiplyAddEstimate(a7, b0, c7_0);
            var a8 = Vector512.Create(a[8]);
            c8_0 = Vector512.MultiplyAddEstimate(a8, b0, c8_0);
            var a9 = Vector512.Create(a[9]);
            c9_0 = Vector512.MultiplyAddEstimate(a9, b0, c9_0);
            var a10 = Vector512.Create(a[10]);
            c10_0 = Vector512.MultiplyAddEstimate(a10, b0, c10_0);
            var a11 = Vector512.Create(a[11]);
            c11_0 = Vector512.MultiplyAddEstimate(a11, b0, c11_0);
            var a12 = Vector512.Create(a[12]);
            c12_0 = Vector512.MultiplyAddEstimate(a12, b0, c12_0);
            var a13 = Vector512.Create(a[13]);
            c13_0 = Vector512.MultiplyAddEstimate(a13, b0, c13_0);
            a += 14;
            b += 32;
        }
        var va = Vector512.Create(alpha);
        if (beta == 0)
        {
            Vector512.Store(c0_0 * va, c);
            Vector512.Store(c1_0 * va, c + 1 * ldc);
            Vector512.Store(c2_0 * va, c + 2 * ldc);
            Vector512.Store(c3_0 * va, c + 3 * ldc);
            Vector512.Store(c4_0 * va, c + 4 * ldc);
            Vector512.Store(c5_0 * va, c + 5 * ldc);
            Vector512.Store(c6_0 * va, c + 6 * ldc);
            Vector512.Store(c7_0 * va, c + 7 * ldc);
            Vector512.Store(c8_0 * va, c + 8 * ldc);
            Vector512.Store(c9_0 * va, c + 9 * ldc);
            Vector512.Store(c10_0 * va, c + 10 * ldc);
            Vector512.Store(c11_0 * va, c + 11 * ldc);
            Vector512.Store(c12_0 * va, c + 12 * ldc);
            Vector512.Store(c13_0 * va, c + 13 * ldc);
        }
        else
        {
            var vb = Vector512.Create(beta);
            { var q = c; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c0_0 * va), q); }
            { var q = c + 1 * ldc; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c1_0 * va), q); }
            { var q = c + 2 * ldc; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c2_0 * va), q); }
            { var q = c + 3 * ldc; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c3_0 * va), q); }
            { var q = c + 4 * ldc; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c4_0 * va), q); }
            { var q = c + 5 * ldc; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c5_0 * va), q); }
            { var q = c + 6 * ldc; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c6_0 * va), q); }
            { var q = c + 7 * ldc; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c7_0 * va), q); }
            { var q = c + 8 * ldc; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c8_0 * va), q); }
            { var q = c + 9 * ldc; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c9_0 * va), q); }
            { var q = c + 10 * ldc; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c10_0 * va), q); }
            { var q = c + 11 * ldc; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c11_0 * va), q); }
            { var q = c + 12 * ldc; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c12_0 * va), q); }
            { var q = c + 13 * ldc; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c13_0 * va), q); }
        }
    }

    /// <summary>Tile reading A in place (row-major, rows lda apart) instead of from a packed panel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void TileDirect(int kc, float* a, nint lda, float* b, float* c, nint ldc, float alpha, float beta, nint ldb = Nr)
    {
        // Rows 3g, 3g+1, 3g+2 are read as row{3g}[0], [lda], [2·lda]: one base register per three rows.
        float* row0 = a, row3 = a + 3 * lda, row6 = a + 6 * lda, row9 = a + 9 * lda, row12 = a + 12 * lda;
        nint lda2 = 2 * lda;
        // ldb arrives on the stack (the ninth argument): a local lets the JIT keep it in a register in the loop.
        nint bStep = ldb;
        Vector512<float> c0_0, c0_1, c1_0, c1_1, c2_0, c2_1, c3_0, c3_1, c4_0, c4_1, c5_0, c5_1, c6_0, c6_1, c7_0, c7_1, c8_0, c8_1, c9_0, c9_1, c10_0, c10_1, c11_0, c11_1, c12_0, c12_1, c13_0, c13_1;
        c0_0 = c0_1 = c1_0 = c1_1 = c2_0 = c2_1 = c3_0 = c3_1 = c4_0 = c4_1 = c5_0 = c5_1 = c6_0 = c6_1 = c7_0 = c7_1 = c8_0 = c8_1 = c9_0 = c9_1 = c10_0 = c10_1 = c11_0 = c11_1 = c12_0 = c12_1 = c13_0 = c13_1 = Vector512<float>.Zero;
        // Fetch the C tile now: its rows are ldc apart (often a page or more), so on large C the epilogue would
        // otherwise stall on 14 cache misses at once. The k loop below hides their latency.
        if (kc >= 64) PrefetchC(c, ldc);
        for (int p = kc; p > 0; p--)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + 16);
            var a0 = Vector512.Create(row0[0]);
            c0_0 = Vector512.MultiplyAddEstimate(a0, b0, c0_0);
            c0_1 = Vector512.MultiplyAddEstimate(a0, b1, c0_1);
            var a1 = Vector512.Create(row0[lda]);
            c1_0 = Vector512.MultiplyAddEstimate(a1, b0, c1_0);
            c1_1 = Vector512.MultiplyAddEstimate(a1, b1, c1_1);
            var a2 = Vector512.Create(row0[lda2]);
            c2_0 = Vector512.MultiplyAddEstimate(a2, b0, c2_0);
            c2_1 = Vector512.MultiplyAddEstimate(a2, b1, c2_1);
            var a3 = Vector512.Create(row3[0]);
            c3_0 = Vector512.MultiplyAddEstimate(a3, b0, c3_0);
            c3_1 = Vector512.MultiplyAddEstimate(a3, b1, c3_1);
            var a4 = Vector512.Create(row3[lda]);
            c4_0 = Vector512.MultiplyAddEstimate(a4, b0, c4_0);
            c4_1 = Vector512.MultiplyAddEstimate(a4, b1, c4_1);
            var a5 = Vector512.Create(row3[lda2]);
            c5_0 = Vector512.MultiplyAddEstimate(a5, b0, c5_0);
            c5_1 = Vector512.MultiplyAddEstimate(a5, b1, c5_1);
            var a6 = Vector512.Create(row6[0]);
            c6_0 = Vector512.MultiplyAddEstimate(a6, b0, c6_0);
            c6_1 = Vector512.MultiplyAddEstimate(a6, b1, c6_1);
            var a7 = Vector512.Create(row6[lda]);
            c7_0 = Vector512.MultiplyAddEstimate(a7, b0, c7_0);
            c7_1 = Vector512.MultiplyAddEstimate(a7, b1, c7_1);
            var a8 = Vector512.Create(row6[lda2]);
            c8_0 = Vector512.MultiplyAddEstimate(a8, b0, c8_0);
            c8_1 = Vector512.MultiplyAddEstimate(a8, b1, c8_1);
            var a9 = Vector512.Create(row9[0]);
            c9_0 = Vector512.MultiplyAddEstimate(a9, b0, c9_0);
            c9_1 = Vector512.MultiplyAddEstimate(a9, b1, c9_1);
            var a10 = Vector512.Create(row9[lda]);
            c10_0 = Vector512.MultiplyAddEstimate(a10, b0, c10_0);
            c10_1 = Vector512.MultiplyAddEstimate(a10, b1, c10_1);
            var a11 = Vector512.Create(row9[lda2]);
            c11_0 = Vector512.MultiplyAddEstimate(a11, b0, c11_0);
            c11_1 = Vector512.MultiplyAddEstimate(a11, b1, c11_1);
            var a12 = Vector512.Create(row12[0]);
            c12_0 = Vector512.MultiplyAddEstimate(a12, b0, c12_0);
            c12_1 = Vector512.MultiplyAddEstimate(a12, b1, c12_1);
            var a13 = Vector512.Create(row12[lda]);
            c13_0 = Vector512.MultiplyAddEstimate(a13, b0, c13_0);
            c13_1 = Vector512.MultiplyAddEstimate(a13, b1, c13_1);
            row0++;
            row3++;
            row6++;
            row9++;
            row12++;
            b += bStep;
        }
        var va = Vector512.Create(alpha);
        if (beta == 0)
        {
            Vector512.Store(c0_0 * va, c);
            Vector512.Store(c0_1 * va, c + 16);
            Vector512.Store(c1_0 * va, c + 1 * ldc);
            Vector512.Store(c1_1 * va, c + 1 * ldc + 16);
            Vector512.Store(c2_0 * va, c + 2 * ldc);
            Vector512.Store(c2_1 * va, c + 2 * ldc + 16);
            Vector512.Store(c3_0 * va, c + 3 * ldc);
            Vector512.Store(c3_1 * va, c + 3 * ldc + 16);
            Vector512.Store(c4_0 * va, c + 4 * ldc);
            Vector512.Store(c4_1 * va, c + 4 * ldc + 16);
            Vector512.Store(c5_0 * va, c + 5 * ldc);
            Vector512.Store(c5_1 * va, c + 5 * ldc + 16);
            Vector512.Store(c6_0 * va, c + 6 * ldc);
            Vector512.Store(c6_1 * va, c + 6 * ldc + 16);
            Vector512.Store(c7_0 * va, c + 7 * ldc);
            Vector512.Store(c7_1 * va, c + 7 * ldc + 16);
            Vector512.Store(c8_0 * va, c + 8 * ldc);
            Vector512.Store(c8_1 * va, c + 8 * ldc + 16);
            Vector512.Store(c9_0 * va, c + 9 * ldc);
            Vector512.Store(c9_1 * va, c + 9 * ldc + 16);
            Vector512.Store(c10_0 * va, c + 10 * ldc);
            Vector512.Store(c10_1 * va, c + 10 * ldc + 16);
            Vector512.Store(c11_0 * va, c + 11 * ldc);
            Vector512.Store(c11_1 * va, c + 11 * ldc + 16);
            Vector512.Store(c12_0 * va, c + 12 * ldc);
            Vector512.Store(c12_1 * va, c + 12 * ldc + 16);
            Vector512.Store(c13_0 * va, c + 13 * ldc);
            Vector512.Store(c13_1 * va, c + 13 * ldc + 16);
        }
        else
        {
            var vb = Vector512.Create(beta);
            { var q = c; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c0_0 * va), q); }
            { var q = c + 16; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c0_1 * va), q); }
            { var q = c + 1 * ldc; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c1_0 * va), q); }
            { var q = c + 1 * ldc + 16; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c1_1 * va), q); }
            { var q = c + 2 * ldc; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c2_0 * va), q); }
            { var q = c + 2 * ldc + 16; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c2_1 * va), q); }
            { var q = c + 3 * ldc; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c3_0 * va), q); }
            { var q = c + 3 * ldc + 16; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c3_1 * va), q); }
            { var q = c + 4 * ldc; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c4_0 * va), q); }
            { var q = c + 4 * ldc + 16; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c4_1 * va), q); }
            { var q = c + 5 * ldc; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c5_0 * va), q); }
            { var q = c + 5 * ldc + 16; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c5_1 * va), q); }
            { var q = c + 6 * ldc; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c6_0 * va), q); }
            { var q = c + 6 * ldc + 16; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c6_1 * va), q); }
            { var q = c + 7 * ldc; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c7_0 * va), q); }
            { var q = c + 7 * ldc + 16; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c7_1 * va), q); }
            { var q = c + 8 * ldc; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c8_0 * va), q); }
            { var q = c + 8 * ldc + 16; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c8_1 * va), q); }
            { var q = c + 9 * ldc; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c9_0 * va), q); }
            { var q = c + 9 * ldc + 16; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c9_1 * va), q); }
            { var q = c + 10 * ldc; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c10_0 * va), q); }
            { var q = c + 10 * ldc + 16; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c10_1 * va), q); }
            { var q = c + 11 * ldc; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c11_0 * va), q); }
            { var q = c + 11 * ldc + 16; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c11_1 * va), q); }
            { var q = c + 12 * ldc; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c12_0 * va), q); }
            { var q = c + 12 * ldc + 16; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c12_1 * va), q); }
            { var q = c + 13 * ldc; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c13_0 * va), q); }
            { var q = c + 13 * ldc + 16; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c13_1 * va), q); }
        }
    }

    /// <summary>HalfTile reading A in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void HalfTileDirect(int kc, float* a, nint lda, float* b, float* c, nint ldc, float alpha, float beta)
    {
        // Rows 3g, 3g+1, 3g+2 are read as row{3g}[0], [lda], [2·lda]: one base register per three rows.
        float* row0 = a, row3 = a + 3 * lda, row6 = a + 6 * lda, row9 = a + 9 * lda, row12 = a + 12 * lda;
        nint lda2 = 2 * lda;
        Vector512<float> c0_0, c1_0, c2_0, c3_0, c4_0, c5_0, c6_0, c7_0, c8_0, c9_0, c10_0, c11_0, c12_0, c13_0;
        c0_0 = c1_0 = c2_0 = c3_0 = c4_0 = c5_0 = c6_0 = c7_0 = c8_0 = c9_0 = c10_0 = c11_0 = c12_0 = c13_0 = Vector512<float>.Zero;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b);
            var a0 = Vector512.Create(row0[0]);
            c0_0 = Vector512.MultiplyAddEstimate(a0, b0, c0_0);
            var a1 = Vector512.Create(row0[lda]);
            c1_0 = Vector512.MultiplyAddEstimate(a1, b0, c1_0);
            var a2 = Vector512.Create(row0[lda2]);
            c2_0 = Vector512.MultiplyAddEstimate(a2, b0, c2_0);
            var a3 = Vector512.Create(row3[0]);
            c3_0 = Vector512.MultiplyAddEstimate(a3, b0, c3_0);
            var a4 = Vector512.Create(row3[lda]);
            c4_0 = Vector512.MultiplyAddEstimate(a4, b0, c4_0);
            var a5 = Vector512.Create(row3[lda2]);
            c5_0 = Vector512.MultiplyAddEstimate(a5, b0, c5_0);
            var a6 = Vector512.Create(row6[0]);
            c6_0 = Vector512.MultiplyAddEstimate(a6, b0, c6_0);
            var a7 = Vector512.Create(row6[lda]);
            c7_0 = Vector512.MultiplyAddEstimate(a7, b0, c7_0);
            var a8 = Vector512.Create(row6[lda2]);
            c8_0 = Vector512.MultiplyAddEstimate(a8, b0, c8_0);
            var a9 = Vector512.Create(row9[0]);
            c9_0 = Vector512.MultiplyAddEstimate(a9, b0, c9_0);
            var a10 = Vector512.Create(row9[lda]);
            c10_0 = Vector512.MultiplyAddEstimate(a10, b0, c10_0);
            var a11 = Vector512.Create(row9[lda2]);
            c11_0 = Vector512.MultiplyAddEstimate(a11, b0, c11_0);
            var a12 = Vector512.Create(row12[0]);
            c12_0 = Vector512.MultiplyAddEstimate(a12, b0, c12_0);
            var a13 = Vector512.Create(row12[lda]);
            c13_0 = Vector512.MultiplyAddEstimate(a13, b0, c13_0);
            row0++;
            row3++;
            row6++;
            row9++;
            row12++;
            b += 32;
        }
        var va = Vector512.Create(alpha);
        if (beta == 0)
        {
            Vector512.Store(c0_0 * va, c);
            Vector512.Store(c1_0 * va, c + 1 * ldc);
            Vector512.Store(c2_0 * va, c + 2 * ldc);
            Vector512.Store(c3_0 * va, c + 3 * ldc);
            Vector512.Store(c4_0 * va, c + 4 * ldc);
            Vector512.Store(c5_0 * va, c + 5 * ldc);
            Vector512.Store(c6_0 * va, c + 6 * ldc);
            Vector512.Store(c7_0 * va, c + 7 * ldc);
            Vector512.Store(c8_0 * va, c + 8 * ldc);
            Vector512.Store(c9_0 * va, c + 9 * ldc);
            Vector512.Store(c10_0 * va, c + 10 * ldc);
            Vector512.Store(c11_0 * va, c + 11 * ldc);
            Vector512.Store(c12_0 * va, c + 12 * ldc);
            Vector512.Store(c13_0 * va, c + 13 * ldc);
        }
        else
        {
            var vb = Vector512.Create(beta);
            { var q = c; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c0_0 * va), q); }
            { var q = c + 1 * ldc; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c1_0 * va), q); }
            { var q = c + 2 * ldc; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c2_0 * va), q); }
            { var q = c + 3 * ldc; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c3_0 * va), q); }
            { var q = c + 4 * ldc; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c4_0 * va), q); }
            { var q = c + 5 * ldc; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c5_0 * va), q); }
            { var q = c + 6 * ldc; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c6_0 * va), q); }
            { var q = c + 7 * ldc; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c7_0 * va), q); }
            { var q = c + 8 * ldc; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c8_0 * va), q); }
            { var q = c + 9 * ldc; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c9_0 * va), q); }
            { var q = c + 10 * ldc; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c10_0 * va), q); }
            { var q = c + 11 * ldc; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c11_0 * va), q); }
            { var q = c + 12 * ldc; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c12_0 * va), q); }
            { var q = c + 13 * ldc; Vector512.Store(Vector512.MultiplyAddEstimate(Vector512.Load(q), vb, c13_0 * va), q); }
        }
    }
}
