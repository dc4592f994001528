using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

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
                Transpose(a + (nint)(i0 + ir) * lda + p0, lda, rows, kc, dst, mr);
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
                // Stored N×K: the panel is the transpose of cols stored rows.
                Transpose(b + (nint)(j0 + jr) * ldb + p0, ldb, cols, kc, dst, nr);
                for (int j = cols; j < nr; j++)
                    for (int p = 0; p < kc; p++) dst[p * nr + j] = 0;
            }
        }
    }

    /// <summary>
    /// dst[p · ldDst + r] = src[r · ldSrc + p] for r &lt; rows, p &lt; cols: the transposing copy behind packing
    /// row-major A and transposed B. With AVX it moves 8×8 blocks through registers (8 rows read contiguously,
    /// 8 columns written contiguously); edges and other machines copy one value at a time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Transpose(float* src, nint ldSrc, int rows, int cols, float* dst, int ldDst)
    {
        int r0 = 0;
        if (Avx.IsSupported)
        {
            for (; r0 + 8 <= rows; r0 += 8)
            {
                float* s = src + r0 * ldSrc, d = dst + r0;
                int p = 0;
                for (; p + 8 <= cols; p += 8)
                    Transpose8x8(s + p, ldSrc, d + (nint)p * ldDst, ldDst);
                for (; p < cols; p++)
                    for (int r = 0; r < 8; r++) d[(nint)p * ldDst + r] = s[r * ldSrc + p];
            }
        }
        for (int r = r0; r < rows; r++)
        {
            float* s = src + r * ldSrc, d = dst + r;
            for (int p = 0; p < cols; p++, d += ldDst) *d = s[p];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(float* s, nint ls, float* d, nint ld)
    {
        var t0 = Avx.UnpackLow(Avx.LoadVector256(s), Avx.LoadVector256(s + ls));
        var t1 = Avx.UnpackHigh(Avx.LoadVector256(s), Avx.LoadVector256(s + ls));
        var t2 = Avx.UnpackLow(Avx.LoadVector256(s + 2 * ls), Avx.LoadVector256(s + 3 * ls));
        var t3 = Avx.UnpackHigh(Avx.LoadVector256(s + 2 * ls), Avx.LoadVector256(s + 3 * ls));
        var t4 = Avx.UnpackLow(Avx.LoadVector256(s + 4 * ls), Avx.LoadVector256(s + 5 * ls));
        var t5 = Avx.UnpackHigh(Avx.LoadVector256(s + 4 * ls), Avx.LoadVector256(s + 5 * ls));
        var t6 = Avx.UnpackLow(Avx.LoadVector256(s + 6 * ls), Avx.LoadVector256(s + 7 * ls));
        var t7 = Avx.UnpackHigh(Avx.LoadVector256(s + 6 * ls), Avx.LoadVector256(s + 7 * ls));
        // u0 = column 0 and 4 of rows 0-3 (per 128-bit lane), u1 = columns 1 and 5, and so on.
        var u0 = Avx.Shuffle(t0, t2, 0x44);
        var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44);
        var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44);
        var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44);
        var u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(d, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(d + ld, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(d + 2 * ld, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(d + 3 * ld, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(d + 4 * ld, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(d + 5 * ld, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(d + 6 * ld, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(d + 7 * ld, Avx.Permute2x128(u3, u7, 0x31));
    }
}
