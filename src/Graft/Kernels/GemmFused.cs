namespace Graft.Kernels;

/// <summary>
/// GEMM against pre-packed weights with the epilogue fused: C = epilogue(A · B) where B is a
/// <see cref="GemmPackedWeights"/>. Single-threaded over the rows it is given; callers split rows between threads.
/// Loops: rows in blocks of Mc (the A block is packed once per K block and stays in L2), then B panels (one
/// kc×Nr panel stays in L1 while the Mr-row tiles of the block stream past it). After the last K block each tile
/// gets the epilogue at once, while it is still in L1, so bias, residual and activation cost no extra pass.
/// </summary>
internal static unsafe class GemmFused
{
    /// <summary>
    /// Rows [0, m) of C (row stride ldc) from rows [0, m) of A (row-major, stride lda, K columns);
    /// <paramref name="firstRow"/> is the index of row 0 in the epilogue's residual.
    /// </summary>
    public static void Run(GemmPackedWeights w, float* a, nint lda, int m, float* c, nint ldc, in GemmEpilogue e, int firstRow)
    {
        var bl = w.Blocking;
        int mcMax = Math.Min(bl.Mc, (m + bl.Mr - 1) / bl.Mr * bl.Mr);
        float* aPack = GemmScratch.A(w.BlockK * mcMax);
        float* edge = stackalloc float[GemmBlocking.MaxTile];
        for (int ic = 0; ic < m; ic += bl.Mc)
        {
            int mc = Math.Min(bl.Mc, m - ic);
            for (int blk = 0; blk < w.BlockCount; blk++)
            {
                int p0 = blk * w.BlockK, kc = Math.Min(w.BlockK, w.K - p0);
                bool last = blk == w.BlockCount - 1;
                float beta = blk == 0 ? 0f : 1f;
                GemmPacking.PackA(false, a, lda, ic, mc, p0, kc, bl.Mr, aPack);
                float* bBlock = w.Block(blk);
                for (int jr = 0; jr < w.N; jr += bl.Nr)
                {
                    int nr = Math.Min(bl.Nr, w.N - jr);
                    float* bp = bBlock + jr * kc;
                    for (int ir = 0; ir < mc; ir += bl.Mr)
                    {
                        int mr = Math.Min(bl.Mr, mc - ir);
                        float* ap = aPack + ir * kc, cp = c + (ic + ir) * ldc + jr;
                        Tile(w.Path, bl, kc, ap, bp, cp, ldc, mr, nr, beta, edge);
                        if (last) e.Apply(cp, ldc, mr, nr, firstRow + ic + ir, jr);
                    }
                }
            }
        }
        w.KeepAlive();
    }

    private static void Tile(GemmPath path, in GemmBlocking bl, int kc, float* a, float* b, float* c, nint ldc, int mr, int nr, float beta, float* edge)
    {
        if (path == GemmPath.Vector512 && nr <= 16)
        {
            // Half a panel: skip the FMAs on the zero padding (16 or 24 output channels are common).
            if (mr == bl.Mr && nr == 16) GemmKernel512.HalfTile(kc, a, b, c, ldc, 1f, beta);
            else
            {
                GemmKernel512.HalfTile(kc, a, b, edge, bl.Nr, 1f, 0f);
                Merge(edge, bl.Nr, c, ldc, mr, nr, beta);
            }
            return;
        }
        if (mr == bl.Mr && nr == bl.Nr)
        {
            FullTile(path, kc, a, b, c, ldc, beta);
            return;
        }
        // Ragged tile: compute the whole tile aside, then write the part that exists.
        FullTile(path, kc, a, b, edge, bl.Nr, 0f);
        Merge(edge, bl.Nr, c, ldc, mr, nr, beta);
    }

    private static void FullTile(GemmPath path, int kc, float* a, float* b, float* c, nint ldc, float beta)
    {
        switch (path)
        {
            case GemmPath.Vector512: GemmKernel512.Tile(kc, a, b, c, ldc, 1f, beta); break;
            case GemmPath.Vector256: GemmKernel256.Tile(kc, a, b, c, ldc, 1f, beta); break;
            case GemmPath.Vector128: GemmKernel128.Tile(kc, a, b, c, ldc, 1f, beta); break;
            default: GemmKernelScalar.Tile(kc, a, b, c, ldc, 1f, beta); break;
        }
    }

    private static void Merge(float* edge, int ldEdge, float* c, nint ldc, int mr, int nr, float beta)
    {
        for (int r = 0; r < mr; r++, edge += ldEdge, c += ldc)
        {
            if (beta == 0) for (int j = 0; j < nr; j++) c[j] = edge[j];
            else for (int j = 0; j < nr; j++) c[j] += edge[j];
        }
    }
}
