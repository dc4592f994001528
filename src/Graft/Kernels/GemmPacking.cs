using System.Runtime.CompilerServices;

namespace Graft.Kernels;

/// <summary>
/// Copies blocks of op(A) and op(B) into the layouts the micro-kernels stream through, so the kernels see one
/// layout whatever the transposes and leading dimensions are. A block → panels of <c>mr</c> rows, each panel
/// k-major (mr values of one column, then the next column); B block → panels of <c>nr</c> columns, each
/// k-major (nr values of one row, then the next). Ragged last panels are zero-padded, so the kernels never
/// branch on edges and padded lanes contribute exact zeros.
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>Packs op(A)[i0..i0+mc, p0..p0+kc) into <paramref name="dst"/> (ceil(mc/mr) panels of mr × kc).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA(bool transA, float* a, nint lda, int i0, int mc, int p0, int kc, int mr, float* dst)
    {
        for (int ir = 0; ir < mc; ir += mr, dst += mr * kc)
        {
            int rows = Math.Min(mr, mc - ir);
            if (transA)
            {
                // Stored K×M: the mr values of one column are contiguous.
                float* src = a + (nint)p0 * lda + i0 + ir;
                for (int p = 0; p < kc; p++, src += lda)
                {
                    float* d = dst + p * mr;
                    new ReadOnlySpan<float>(src, rows).CopyTo(new Span<float>(d, rows));
                    for (int r = rows; r < mr; r++) d[r] = 0;
                }
            }
            else
            {
                for (int r = 0; r < rows; r++)
                {
                    float* src = a + (nint)(i0 + ir + r) * lda + p0;
                    float* d = dst + r;
                    for (int p = 0; p < kc; p++, d += mr) *d = src[p];
                }
                for (int r = rows; r < mr; r++)
                    for (int p = 0; p < kc; p++) dst[p * mr + r] = 0;
            }
        }
    }

    /// <summary>Packs op(B)[p0..p0+kc, j0..j0+nc) into <paramref name="dst"/> (ceil(nc/nr) panels of kc × nr).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB(bool transB, float* b, nint ldb, int p0, int kc, int j0, int nc, int nr, float* dst)
    {
        if (!transB && nc >= nr)
        {
            // Row by row: each source row is read once, contiguously, and its nr-wide pieces go to every panel.
            int full = nc / nr;
            nint panel = (nint)nr * kc;
            for (int p = 0; p < kc; p++)
            {
                float* src = b + (nint)(p0 + p) * ldb + j0;
                float* d = dst + p * nr;
                for (int jp = 0; jp < full; jp++, src += nr, d += panel)
                    new ReadOnlySpan<float>(src, nr).CopyTo(new Span<float>(d, nr));
            }
            if (full * nr == nc) return;
            j0 += full * nr;
            nc -= full * nr;
            dst += full * panel;
        }
        for (int jr = 0; jr < nc; jr += nr, dst += nr * kc)
        {
            int cols = Math.Min(nr, nc - jr);
            if (!transB)
            {
                float* src = b + (nint)p0 * ldb + j0 + jr;
                for (int p = 0; p < kc; p++, src += ldb)
                {
                    float* d = dst + p * nr;
                    new ReadOnlySpan<float>(src, cols).CopyTo(new Span<float>(d, cols));
                    for (int j = cols; j < nr; j++) d[j] = 0;
                }
            }
            else
            {
                // Stored N×K: read each column of op(B) contiguously and scatter it down the panel.
                for (int j = 0; j < cols; j++)
                {
                    float* src = b + (nint)(j0 + jr + j) * ldb + p0;
                    float* d = dst + j;
                    for (int p = 0; p < kc; p++, d += nr) *d = src[p];
                }
                for (int j = cols; j < nr; j++)
                    for (int p = 0; p < kc; p++) dst[p * nr + j] = 0;
            }
        }
    }
}
