using System.Runtime.Intrinsics;

namespace Graft.Kernels;

/// <summary>
/// Inference convolution for few input values per window (K = KH·KW·CIN small, as in a network's RGB stem),
/// where im2col + GEMM spends more time copying 3-float runs than multiplying. Lanes hold 16 consecutive output
/// channels; each window value is broadcast and multiplied into them, four neighbouring output pixels at a time
/// so each weight vector is loaded once per four pixels. Bias and clamp are applied before the store.
/// x: (N, H, W, CIN); weights: (KH, KW, CIN, COUT) = HWIO; bias: (COUT); y: (N, OH, OW, COUT).
/// The scalar loop is the path without AVX-512 and the tail of COUT past a multiple of 16.
/// </summary>
public static unsafe class Conv2DDirectFused
{
    /// <summary>Largest window (KH·KW·CIN) worth running this way rather than as im2col + GEMM.</summary>
    public const int MaxWindow = 32;

    public static void Forward(in Conv2DGeometry g, int n, int cout, ReadOnlySpan<float> x, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias,
        float lo, float hi, Span<float> y)
    {
        if (x.Length != (long)n * g.H * g.W * g.C || weights.Length != g.KH * g.KW * g.C * cout || bias.Length != cout || y.Length != (long)n * g.OH * g.OW * cout)
            throw new ArgumentException($"Direct Conv2D buffers do not match: expected x {n * g.H * g.W * g.C}, weights {g.KH * g.KW * g.C * cout}, bias {cout}, y {n * g.OH * g.OW * cout}. " +
                $"Received: {x.Length}, {weights.Length}, {bias.Length}, {y.Length}.");
        var geo = g;
        fixed (float* px = x)
        fixed (float* pw = weights)
        fixed (float* pb = bias)
        fixed (float* py = y)
        {
            nint xa = (nint)px, wa = (nint)pw, ba = (nint)pb, ya = (nint)py;
            Parallelism.ForChunks(n * g.OH, (s, e) => Rows(geo, cout, (float*)xa, (float*)wa, (float*)ba, lo, hi, (float*)ya, s, e),
                (long)g.OW * g.KH * g.KW * g.C * cout / 16);
        }
    }

    private static void Rows(in Conv2DGeometry g, int cout, float* x, float* w, float* bias, float lo, float hi, float* y, int start, int end)
    {
        int owLo = 0;
        while (owLo < g.OW && g.KernelCols(owLo) != (0, g.KW)) owLo++;
        int owHi = g.OW;
        while (owHi > owLo && g.KernelCols(owHi - 1) != (0, g.KW)) owHi--;
        int wide = Vector512.IsHardwareAccelerated ? cout / 16 * 16 : 0;
        for (int u = start; u < end; u++)
        {
            int img = u / g.OH, oh = u % g.OH;
            var (kh0, kh1) = g.KernelRows(oh);
            int ih0 = oh * g.StrideH - g.PadTop;
            float* image = x + (long)img * g.H * g.W * g.C;
            float* outRow = y + (long)u * g.OW * cout;
            for (int ow = 0; ow < g.OW;)
            {
                int pixels = wide > 0 && ow >= owLo && ow + 4 <= owHi ? 4 : 1;
                for (int c = 0; c < wide; c += 16)
                {
                    if (pixels == 4) Four(g, image, w, bias, lo, hi, ih0, kh0, kh1, ow, c, cout, outRow + (long)ow * cout + c);
                    else OneVector(g, image, w, bias, lo, hi, ih0, kh0, kh1, ow, c, cout, outRow + (long)ow * cout + c);
                }
                for (int p = 0; p < pixels; p++) OnePixel(g, image, w, bias, lo, hi, ih0, kh0, kh1, ow + p, wide, cout, outRow + (long)(ow + p) * cout);
                ow += pixels;
            }
        }
    }

    /// <summary>Channels [c, c + 16) of interior pixels ow..ow+3.</summary>
    private static void Four(in Conv2DGeometry g, float* image, float* w, float* bias, float lo, float hi, int ih0, int kh0, int kh1, int ow, int c,
        int cout, float* dst)
    {
        var b = Vector512.Load(bias + c);
        Vector512<float> a0 = b, a1 = b, a2 = b, a3 = b;
        long step = (long)g.StrideW * g.C;
        int iw0 = ow * g.StrideW - g.PadLeft;
        for (int kh = kh0; kh < kh1; kh++)
        {
            float* xr = image + ((long)(ih0 + kh * g.DilationH) * g.W + iw0) * g.C;
            float* wr = w + (long)kh * g.KW * g.C * cout + c;
            for (int kw = 0; kw < g.KW; kw++)
            {
                float* xp = xr + (long)kw * g.DilationW * g.C;
                float* wp = wr + (long)kw * g.C * cout;
                for (int ci = 0; ci < g.C; ci++)
                {
                    var wv = Vector512.Load(wp + (long)ci * cout);
                    a0 = Vector512.FusedMultiplyAdd(Vector512.Create(xp[ci]), wv, a0);
                    a1 = Vector512.FusedMultiplyAdd(Vector512.Create(xp[step + ci]), wv, a1);
                    a2 = Vector512.FusedMultiplyAdd(Vector512.Create(xp[2 * step + ci]), wv, a2);
                    a3 = Vector512.FusedMultiplyAdd(Vector512.Create(xp[3 * step + ci]), wv, a3);
                }
            }
        }
        var vlo = Vector512.Create(lo);
        var vhi = Vector512.Create(hi);
        Vector512.Min(Vector512.Max(a0, vlo), vhi).Store(dst);
        Vector512.Min(Vector512.Max(a1, vlo), vhi).Store(dst + cout);
        Vector512.Min(Vector512.Max(a2, vlo), vhi).Store(dst + 2 * cout);
        Vector512.Min(Vector512.Max(a3, vlo), vhi).Store(dst + 3 * cout);
    }

    /// <summary>Channels [c, c + 16) of one pixel anywhere (taps outside the image skipped).</summary>
    private static void OneVector(in Conv2DGeometry g, float* image, float* w, float* bias, float lo, float hi, int ih0, int kh0, int kh1, int ow, int c,
        int cout, float* dst)
    {
        var (kw0, kw1) = g.KernelCols(ow);
        int iw0 = ow * g.StrideW - g.PadLeft;
        var acc = Vector512.Load(bias + c);
        for (int kh = kh0; kh < kh1; kh++)
        for (int kw = kw0; kw < kw1; kw++)
        {
            float* xp = image + ((long)(ih0 + kh * g.DilationH) * g.W + iw0 + kw * g.DilationW) * g.C;
            float* wp = w + ((long)(kh * g.KW + kw) * g.C) * cout + c;
            for (int ci = 0; ci < g.C; ci++) acc = Vector512.FusedMultiplyAdd(Vector512.Create(xp[ci]), Vector512.Load(wp + (long)ci * cout), acc);
        }
        Vector512.Min(Vector512.Max(acc, Vector512.Create(lo)), Vector512.Create(hi)).Store(dst);
    }

    /// <summary>Channels [c0, COUT) of one pixel, any position (taps outside the image skipped), one channel at a time.</summary>
    private static void OnePixel(in Conv2DGeometry g, float* image, float* w, float* bias, float lo, float hi, int ih0, int kh0, int kh1, int ow,
        int c0, int cout, float* dst)
    {
        var (kw0, kw1) = g.KernelCols(ow);
        int iw0 = ow * g.StrideW - g.PadLeft;
        for (int co = c0; co < cout; co++)
        {
            float acc = bias[co];
            for (int kh = kh0; kh < kh1; kh++)
            for (int kw = kw0; kw < kw1; kw++)
            {
                float* xp = image + ((long)(ih0 + kh * g.DilationH) * g.W + iw0 + kw * g.DilationW) * g.C;
                float* wp = w + ((long)(kh * g.KW + kw) * g.C) * cout + co;
                for (int ci = 0; ci < g.C; ci++) acc = MathF.FusedMultiplyAdd(xp[ci], wp[(long)ci * cout], acc);
            }
            dst[co] = MathF.Min(MathF.Max(acc, lo), hi);
        }
    }
}
