using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Graft.Kernels;

/// <summary>
/// SSE / NEON micro-kernel: a 6×8 tile of C in 12 xmm accumulators (c{row}_{half}: lane j of half h holds
/// column 4h + j), two B registers and one broadcast, within the 16 registers SSE has.
/// </summary>
internal static unsafe class GemmKernel128
{
    public const int Mr = 6, Nr = 8;

    /// <summary>C[0..6, 0..8) = alpha · A·B + beta · C over one packed A panel (6 rows) and B panel (8 columns).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
    {
        Vector128<float> c0_0, c0_1, c1_0, c1_1, c2_0, c2_1, c3_0, c3_1, c4_0, c4_1, c5_0, c5_1;
        c0_0 = c0_1 = c1_0 = c1_1 = c2_0 = c2_1 = c3_0 = c3_1 = c4_0 = c4_1 = c5_0 = c5_1 = Vector128<float>.Zero;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector128.Load(b);
            var b1 = Vector128.Load(b + 4);
            var a0 = Vector128.Create(a[0]);
            c0_0 = Vector128.MultiplyAddEstimate(a0, b0, c0_0);
            c0_1 = Vector128.MultiplyAddEstimate(a0, b1, c0_1);
            var a1 = Vector128.Create(a[1]);
            c1_0 = Vector128.MultiplyAddEstimate(a1, b0, c1_0);
            c1_1 = Vector128.MultiplyAddEstimate(a1, b1, c1_1);
            var a2 = Vector128.Create(a[2]);
            c2_0 = Vector128.MultiplyAddEstimate(a2, b0, c2_0);
            c2_1 = Vector128.MultiplyAddEstimate(a2, b1, c2_1);
            var a3 = Vector128.Create(a[3]);
            c3_0 = Vector128.MultiplyAddEstimate(a3, b0, c3_0);
            c3_1 = Vector128.MultiplyAddEstimate(a3, b1, c3_1);
            var a4 = Vector128.Create(a[4]);
            c4_0 = Vector128.MultiplyAddEstimate(a4, b0, c4_0);
            c4_1 = Vector128.MultiplyAddEstimate(a4, b1, c4_1);
            var a5 = Vector128.Create(a[5]);
            c5_0 = Vector128.MultiplyAddEstimate(a5, b0, c5_0);
            c5_1 = Vector128.MultiplyAddEstimate(a5, b1, c5_1);
            a += 6;
            b += 8;
        }
        var va = Vector128.Create(alpha);
        if (beta == 0)
        {
            Vector128.Store(c0_0 * va, c);
            Vector128.Store(c0_1 * va, c + 4);
            Vector128.Store(c1_0 * va, c + 1 * ldc);
            Vector128.Store(c1_1 * va, c + 1 * ldc + 4);
            Vector128.Store(c2_0 * va, c + 2 * ldc);
            Vector128.Store(c2_1 * va, c + 2 * ldc + 4);
            Vector128.Store(c3_0 * va, c + 3 * ldc);
            Vector128.Store(c3_1 * va, c + 3 * ldc + 4);
            Vector128.Store(c4_0 * va, c + 4 * ldc);
            Vector128.Store(c4_1 * va, c + 4 * ldc + 4);
            Vector128.Store(c5_0 * va, c + 5 * ldc);
            Vector128.Store(c5_1 * va, c + 5 * ldc + 4);
        }
        else
        {
            var vb = Vector128.Create(beta);
            { var q = c; Vector128.Store(Vector128.MultiplyAddEstimate(Vector128.Load(q), vb, c0_0 * va), q); }
            { var q = c + 4; Vector128.Store(Vector128.MultiplyAddEstimate(Vector128.Load(q), vb, c0_1 * va), q); }
            { var q = c + 1 * ldc; Vector128.Store(Vector128.MultiplyAddEstimate(Vector128.Load(q), vb, c1_0 * va), q); }
            { var q = c + 1 * ldc + 4; Vector128.Store(Vector128.MultiplyAddEstimate(Vector128.Load(q), vb, c1_1 * va), q); }
            { var q = c + 2 * ldc; Vector128.Store(Vector128.MultiplyAddEstimate(Vector128.Load(q), vb, c2_0 * va), q); }
            { var q = c + 2 * ldc + 4; Vector128.Store(Vector128.MultiplyAddEstimate(Vector128.Load(q), vb, c2_1 * va), q); }
            { var q = c + 3 * ldc; Vector128.Store(Vector128.MultiplyAddEstimate(Vector128.Load(q), vb, c3_0 * va), q); }
            { var q = c + 3 * ldc + 4; Vector128.Store(Vector128.MultiplyAddEstimate(Vector128.Load(q), vb, c3_1 * va), q); }
            { var q = c + 4 * ldc; Vector128.Store(Vector128.MultiplyAddEstimate(Vector128.Load(q), vb, c4_0 * va), q); }
            { var q = c + 4 * ldc + 4; Vector128.Store(Vector128.MultiplyAddEstimate(Vector128.Load(q), vb, c4_1 * va), q); }
            { var q = c + 5 * ldc; Vector128.Store(Vector128.MultiplyAddEstimate(Vector128.Load(q), vb, c5_0 * va), q); }
            { var q = c + 5 * ldc + 4; Vector128.Store(Vector128.MultiplyAddEstimate(Vector128.Load(q), vb, c5_1 * va), q); }
        }
    }
}
