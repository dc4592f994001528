using System.Runtime.CompilerServices;

namespace Graft.Kernels;

/// <summary>
/// The single-threaded blocked GEMM over raw pointers, in the usual five loops: N in blocks of Nc, K in blocks
/// of Kc (B block packed once), M in blocks of Mc (A block packed once), then Nr-wide and Mr-tall tiles, each
/// one micro-kernel call. Beta is applied by the first K block only; later blocks accumulate.
/// The loop methods are compiled fully optimised at once: a GEMM calls them only a few times, so tiered
/// compilation would otherwise run the first (often the only, in a benchmark) large calls through tier 0.
/// </summary>
internal static unsafe class GemmBlocked
{
    /// <summary>
    /// Whether <see cref="Run"/> reads op(A) in place rather than packing it: on the AVX-512 path for row-major
    /// A, unless lda is a multiple of 2048 floats. With N small (1×1 convolutions) each A panel is used only
    /// ceil(n / Nr) times, so packing it costs about as much as multiplying with it (1.1× faster in place at
    /// 12544×{64…512}×576, measured). But rows 8 KB or more apart (a power-of-two stride) fall on only 16 or
    /// fewer offsets of an L2 way (128 KB), so the 168 rows of an Mc block fight over the same sets and keep
    /// evicting each other: at 4096² in place was about 7 % slower than packing.
    /// </summary>
    public static bool ReadsAInPlace(GemmPath path, bool transA, nint lda) =>
        path == GemmPath.Vector512 && !transA && (lda & -lda) < 2048;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(GemmPath path, bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, nint lda, float* b, nint ldb, float beta, float* c, nint ldc)
    {
        var bl = Blocking(path);
        bool aInPlace = ReadsAInPlace(path, transA, lda);
        // With few rows (a Dense layer on a small batch) each B panel serves only a tile or three, so packing B
        // is a full extra pass over the largest operand: the AVX-512 kernels then read its full panels in place.
        bool bInPlace = path == GemmPath.Vector512 && !transB && m <= BInPlaceMaxM;
        // Equal K blocks rather than full blocks plus a sliver: a short last block wastes the tile stores.
        int kBlocks = (k + bl.Kc - 1) / bl.Kc, kcMax = (k + kBlocks - 1) / kBlocks;
        int ncMax = Math.Min(RoundUp(n, bl.Nr), bl.Nc), mcMax = Math.Min(RoundUp(m, bl.Mr), bl.Mc);
        float* bPack = GemmScratch.B(kcMax * (bInPlace ? bl.Nr : ncMax));
        float* aPack = GemmScratch.A(kcMax * mcMax);
        float* edge = stackalloc float[GemmBlocking.MaxTile];

        for (int jc = 0; jc < n; jc += bl.Nc)
        {
            int nc = Math.Min(bl.Nc, n - jc);
            for (int pc = 0; pc < k; pc += kcMax)
            {
                int kc = Math.Min(kcMax, k - pc);
                float betaBlock = pc == 0 ? beta : 1f;
                float* bRows = null;
                if (bInPlace)
                {
                    // Only a ragged last panel is packed (zero-padded, as the kernels read all Nr columns).
                    int full = nc / bl.Nr * bl.Nr;
                    if (full < nc) GemmPacking.PackB(transB, b, ldb, pc, kc, jc + full, nc - full, bl.Nr, bPack);
                    bRows = b + pc * ldb + jc;
                }
                else GemmPacking.PackB(transB, b, ldb, pc, kc, jc, nc, bl.Nr, bPack);
                for (int ic = 0; ic < m; ic += bl.Mc)
                {
                    int mc = Math.Min(bl.Mc, m - ic);
                    float* aRows = null;
                    if (aInPlace)
                    {
                        // Only a ragged last panel is packed: the in-place kernels need all Mr rows.
                        int full = mc / bl.Mr * bl.Mr;
                        if (full < mc) GemmPacking.PackA(transA, a, lda, ic + full, mc - full, pc, kc, bl.Mr, aPack + full * kc);
                        aRows = a + ic * lda + pc;
                    }
                    else GemmPacking.PackA(transA, a, lda, ic, mc, pc, kc, bl.Mr, aPack);
                    Macro(path, bl, mc, nc, kc, aPack, aRows, lda, bPack, bRows, ldb, c + ic * ldc + jc, ldc, alpha, betaBlock, edge);
                }
            }
        }
    }

    /// <summary>
    /// All tiles of one B block × one A block. <paramref name="aRows"/> non-null means A is read in place;
    /// <paramref name="bRows"/> non-null means full B panels are read in place (rows ldb apart) and only the
    /// ragged last one is packed, at <paramref name="bPack"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Macro(GemmPath path, GemmBlocking bl, int mc, int nc, int kc, float* aPack, float* aRows, nint lda,
        float* bPack, float* bRows, nint ldb, float* c, nint ldc, float alpha, float beta, float* edge)
    {
        for (int jr = 0; jr < nc; jr += bl.Nr)
        {
            int nr = Math.Min(bl.Nr, nc - jr);
            bool direct = bRows != null && nr == bl.Nr;
            float* bp = direct ? bRows + jr : bRows != null ? bPack : bPack + jr * kc;
            nint bStride = direct ? ldb : bl.Nr;
            for (int ir = 0; ir < mc; ir += bl.Mr)
            {
                int mr = Math.Min(bl.Mr, mc - ir);
                float* ap = aPack + ir * kc, cp = c + ir * ldc + jr;
                if (path == GemmPath.Vector512 && mr == bl.Mr)
                {
                    float* ar = aRows == null ? null : aRows + ir * lda;
                    if (nr == bl.Nr) Tile512(kc, ap, ar, lda, bp, bStride, cp, ldc, alpha, beta);
                    else
                    {
                        // Part of a panel (skinny N such as 16 or 24 output channels): a full 16-column half is
                        // stored directly, the rest goes through the edge tile, no FMAs go to an absent half.
                        if (nr >= 16) HalfTile512(kc, ap, ar, lda, bp, cp, ldc, alpha, beta);
                        if (nr != 16)
                        {
                            int h = nr > 16 ? 16 : 0;
                            HalfTile512(kc, ap, ar, lda, bp + h, edge, bl.Nr, 1f, 0f);
                            MergeEdge(edge, bl.Nr, cp + h, ldc, mr, nr - h, alpha, beta);
                        }
                    }
                }
                else if (mr == bl.Mr && nr == bl.Nr) Tile(path, kc, ap, bp, bStride, cp, ldc, alpha, beta);
                else
                {
                    // Ragged tile: compute the full tile aside, then write only the part that exists.
                    Tile(path, kc, ap, bp, bStride, edge, bl.Nr, 1f, 0f);
                    MergeEdge(edge, bl.Nr, cp, ldc, mr, nr, alpha, beta);
                }
            }
        }
    }

    private static void Tile512(int kc, float* ap, float* aRows, nint lda, float* bp, nint bStride, float* c, nint ldc, float alpha, float beta)
    {
        if (aRows == null) GemmKernel512.Tile(kc, ap, bp, c, ldc, alpha, beta, bStride);
        else GemmKernel512.TileDirect(kc, aRows, lda, bp, c, ldc, alpha, beta, bStride);
    }

    private static void HalfTile512(int kc, float* ap, float* aRows, nint lda, float* bp, float* c, nint ldc, float alpha, float beta)
    {
        if (aRows == null) GemmKernel512.HalfTile(kc, ap, bp, c, ldc, alpha, beta);
        else GemmKernel512.HalfTileDirect(kc, aRows, lda, bp, c, ldc, alpha, beta);
    }

    /// <summary>One full tile; <paramref name="bStride"/> is Nr except for B panels read in place (AVX-512 only).</summary>
    private static void Tile(GemmPath path, int kc, float* a, float* b, nint bStride, float* c, nint ldc, float alpha, float beta)
    {
        switch (path)
        {
            case GemmPath.Vector512: GemmKernel512.Tile(kc, a, b, c, ldc, alpha, beta, bStride); break;
            case GemmPath.Vector256: GemmKernel256.Tile(kc, a, b, c, ldc, alpha, beta); break;
            case GemmPath.Vector128: GemmKernel128.Tile(kc, a, b, c, ldc, alpha, beta); break;
            default: GemmKernelScalar.Tile(kc, a, b, c, ldc, alpha, beta); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MergeEdge(float* edge, int ldEdge, float* c, nint ldc, int mr, int nr, float alpha, float beta)
    {
        for (int r = 0; r < mr; r++, edge += ldEdge, c += ldc)
        {
            if (beta == 0) for (int j = 0; j < nr; j++) c[j] = alpha * edge[j];
            else for (int j = 0; j < nr; j++) c[j] = alpha * edge[j] + beta * c[j];
        }
    }

    /// <summary>Up to this many rows of C, the AVX-512 path reads B in place (four tiles' worth).</summary>
    public const int BInPlaceMaxM = 4 * GemmKernel512.Mr;

    /// <summary>
    /// The blocking this class uses: <see cref="GemmBlocking.For"/>, except on the AVX-512 path, whose K blocks
    /// are deeper (<see cref="GemmBlocking.DeepKc512"/>) and M blocks accordingly shorter, so that the A block
    /// (84 × 1024 floats, 344 KB) and a B micro-panel (128 KB) leave room in the 1 MB L2.
    /// </summary>
    public static GemmBlocking Blocking(GemmPath path) => path == GemmPath.Vector512
        ? GemmBlocking.For(path) with { Kc = GemmBlocking.DeepKc512, Mc = 6 * GemmKernel512.Mr }
        : GemmBlocking.For(path);

    private static int RoundUp(int x, int to) => (x + to - 1) / to * to;
}
