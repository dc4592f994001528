using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Graft.Kernels;

/// <summary>
/// Inference convolution with pre-packed weights and a fused epilogue: y = epilogue(conv(x, kernel)).
/// N: batch; H, W, CIN: input (NHWC); kernel as GEMM weights (K = KH·KW·CIN) × COUT; OH, OW: output rows and
/// columns. Output pixels are written with row stride ldy ≥ COUT, so a layer can write its channels straight
/// into a slice of a wider tensor (a Concatenate's output).
/// A pointwise conv reads x in place as the GEMM's A (pixels are rows, NHWC needs no copy); other windows go
/// through <see cref="Im2Col"/> a few output rows at a time into a per-thread buffer that stays in L2.
/// Work is split between threads over blocks of output pixels.
/// </summary>
public static unsafe class Conv2DFused
{
    /// <summary>Per-thread column buffer target (floats): about half an L2, and at least one output row.</summary>
    private const int ColumnBudget = 1 << 17;

    [ThreadStatic] private static float[]? t_columns;

    /// <summary>Span form, for tests and callers without pointers; y is (N, OH, OW, COUT) contiguous.</summary>
    public static void Forward(in Conv2DGeometry g, int n, GemmPackedWeights w, ReadOnlySpan<float> x, Span<float> y,
        ReadOnlySpan<float> bias, float lo, float hi, ReadOnlySpan<float> residual = default)
    {
        if (x.Length != (long)n * g.H * g.W * g.C || y.Length != (long)n * g.OH * g.OW * w.N || w.K != g.KH * g.KW * g.C
            || (!bias.IsEmpty && bias.Length != w.N) || (!residual.IsEmpty && residual.Length != y.Length))
            throw new ArgumentException($"Fused Conv2D buffers do not match: expected x {n * g.H * g.W * g.C}, y {n * g.OH * g.OW * w.N}, " +
                $"K {g.KH * g.KW * g.C}, bias {w.N} or none, residual like y or none. Received: {x.Length}, {y.Length}, {w.K}, {bias.Length}, {residual.Length}.");
        fixed (float* px = x)
        fixed (float* py = y)
        fixed (float* pb = bias)
        fixed (float* pr = residual)
        {
            var e = new GemmEpilogue { Bias = bias.IsEmpty ? null : pb, Residual = residual.IsEmpty ? null : pr, ResidualStride = w.N, Lo = lo, Hi = hi };
            Forward(g, n, w, px, py, w.N, e);
        }
    }

    /// <summary>
    /// x: (N, H, W, CIN) contiguous; y: N·OH·OW pixel rows of COUT values, row stride <paramref name="ldy"/>.
    /// The epilogue's residual, if any, is indexed by output pixel.
    /// </summary>
    public static void Forward(in Conv2DGeometry g, int n, GemmPackedWeights w, float* x, float* y, nint ldy, in GemmEpilogue e)
    {
        var geo = g;
        var ep = e;
        nint xa = (nint)x, ya = (nint)y;
        if (g.IsPointwise)
        {
            int m = n * g.H * g.W, block = w.Blocking.Mc, units = (m + block - 1) / block;
            Parallelism.ForChunks(units, (s, end) =>
            {
                int r0 = s * block, rows = Math.Min(end * block, m) - r0;
                GemmFused.Run(w, (float*)xa + (nint)r0 * w.K, w.K, rows, (float*)ya + r0 * ldy, ldy, ep, r0);
            }, (long)block * w.K * w.N / 16);
            return;
        }
        int outRows = n * g.OH, perChunk = Math.Max(1, ColumnBudget / (g.OW * w.K));
        Parallelism.ForChunks(outRows, (s, end) =>
        {
            fixed (float* cols = Columns(Math.Min(perChunk, end - s) * geo.OW * w.K))
            {
                for (int u0 = s; u0 < end; u0 += perChunk)
                {
                    int u1 = Math.Min(end, u0 + perChunk), first = u0 * geo.OW;
                    Im2Col.Pack(geo, (float*)xa, cols, u0, u0, u1);
                    GemmFused.Run(w, cols, w.K, (u1 - u0) * geo.OW, (float*)ya + first * ldy, ldy, ep, first);
                }
            }
        }, (long)g.OW * w.K * w.N / 16);
    }

    private static float[] Columns(int length)
    {
        var a = t_columns;
        if (a is null || a.Length < length) t_columns = a = GC.AllocateUninitializedArray<float>(length);
        return a;
    }
}
