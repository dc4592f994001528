using System.Runtime.Intrinsics;

namespace Graft.Kernels;

/// <summary>
/// Inference depthwise convolution with depth multiplier 1 and a fused epilogue: y = clamp(depthwise(x) + bias, lo, hi),
/// which is DepthwiseConv2D + folded BatchNorm + ReLU/ReLU6 in one pass over memory. N: batch; H, W, C: input (NHWC);
/// KH, KW, C: kernel; OH, OW, C: output. Lanes hold consecutive channels; each output pixel's accumulators stay in
/// registers across the taps. Interior pixels (window fully inside the image) are done four at a time so that each
/// kernel vector is loaded once for four pixels. Work is split over output rows.
/// <see cref="DepthwiseConv2DReference"/> plus bias and clamp is the oracle.
/// </summary>
public static unsafe class DepthwiseConv2DFused
{
    public static void Forward(in Conv2DGeometry g, int n, ReadOnlySpan<float> x, ReadOnlySpan<float> kernel, ReadOnlySpan<float> bias,
        float lo, float hi, Span<float> y)
    {
        if (x.Length != (long)n * g.H * g.W * g.C || kernel.Length != g.KH * g.KW * g.C || bias.Length != g.C || y.Length != (long)n * g.OH * g.OW * g.C)
            throw new ArgumentException($"Fused depthwise buffers do not match: expected x {n * g.H * g.W * g.C}, kernel {g.KH * g.KW * g.C}, bias {g.C}, y {n * g.OH * g.OW * g.C}. " +
                $"Received: {x.Length}, {kernel.Length}, {bias.Length}, {y.Length}.");
        fixed (float* px = x)
        fixed (float* pk = kernel)
        fixed (float* pb = bias)
        fixed (float* py = y)
            Forward(g, n, px, pk, pb, lo, hi, py);
    }

    public static void Forward(in Conv2DGeometry g, int n, float* x, float* kernel, float* bias, float lo, float hi, float* y)
    {
        var geo = g;
        nint xa = (nint)x, ka = (nint)kernel, ba = (nint)bias, ya = (nint)y;
        Parallelism.ForChunks(n * g.OH, (s, e) => Rows(geo, (float*)xa, (float*)ka, (float*)ba, lo, hi, (float*)ya, s, e),
            (long)g.OW * g.KH * g.KW * g.C);
    }

    private static void Rows(in Conv2DGeometry g, float* x, float* k, float* bias, float lo, float hi, float* y, int start, int end)
    {
        int c = g.C;
        // Output columns whose whole window lies inside the image: [owLo, owHi).
        int owLo = 0;
        while (owLo < g.OW && g.KernelCols(owLo) != (0, g.KW)) owLo++;
        int owHi = g.OW;
        while (owHi > owLo && g.KernelCols(owHi - 1) != (0, g.KW)) owHi--;
        for (int u = start; u < end; u++)
        {
            int img = u / g.OH, oh = u % g.OH;
            var (kh0, kh1) = g.KernelRows(oh);
            int ih0 = oh * g.StrideH - g.PadTop;
            float* image = x + (long)img * g.H * g.W * c;
            float* outRow = y + (long)u * g.OW * c;
            var w = new Window
            {
                XRowStep = (long)g.DilationH * g.W * c, XColStep = g.DilationW * c, KRowStep = g.KW * c,
                Kh0 = kh0, Kh1 = kh1, C = c, Lo = lo, Hi = hi, Bias = bias,
            };
            int ow = 0;
            for (; ow < g.OW; ow++)
            {
                if (ow >= owLo && ow + 4 <= owHi) { Four(w, image, k, g, ih0, ow, outRow); ow += 3; continue; }
                var (kw0, kw1) = g.KernelCols(ow);
                int iw0 = ow * g.StrideW - g.PadLeft;
                One(w, image + ((long)ih0 * g.W + iw0) * c, k, kw0, kw1, outRow + (long)ow * c);
            }
        }
    }

    private struct Window
    {
        public long XRowStep;
        public int XColStep, KRowStep, Kh0, Kh1, C;
        public float Lo, Hi;
        public float* Bias;
    }

    /// <summary>One output pixel; <paramref name="x"/> points at the (possibly outside) window origin.</summary>
    private static void One(in Window w, float* x, float* k, int kw0, int kw1, float* dst)
    {
        int c = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var vlo = Vector512.Create(w.Lo);
            var vhi = Vector512.Create(w.Hi);
            for (; c + 16 <= w.C; c += 16)
            {
                var acc = Vector512.Load(w.Bias + c);
                for (int kh = w.Kh0; kh < w.Kh1; kh++)
                {
                    float* xr = x + kh * w.XRowStep + c;
                    float* kr = k + kh * w.KRowStep + c;
                    for (int kw = kw0; kw < kw1; kw++)
                        acc = Vector512.FusedMultiplyAdd(Vector512.Load(xr + kw * w.XColStep), Vector512.Load(kr + kw * w.C), acc);
                }
                Vector512.Min(Vector512.Max(acc, vlo), vhi).Store(dst + c);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            var vlo = Vector256.Create(w.Lo);
            var vhi = Vector256.Create(w.Hi);
            for (; c + 8 <= w.C; c += 8)
            {
                var acc = Vector256.Load(w.Bias + c);
                for (int kh = w.Kh0; kh < w.Kh1; kh++)
                {
                    float* xr = x + kh * w.XRowStep + c;
                    float* kr = k + kh * w.KRowStep + c;
                    for (int kw = kw0; kw < kw1; kw++)
                        acc = Vector256.FusedMultiplyAdd(Vector256.Load(xr + kw * w.XColStep), Vector256.Load(kr + kw * w.C), acc);
                }
                Vector256.Min(Vector256.Max(acc, vlo), vhi).Store(dst + c);
            }
        }
        for (; c < w.C; c++)
        {
            float acc = w.Bias[c];
            for (int kh = w.Kh0; kh < w.Kh1; kh++)
                for (int kw = kw0; kw < kw1; kw++)
                    acc = MathF.FusedMultiplyAdd(x[kh * w.XRowStep + kw * w.XColStep + c], k[kh * w.KRowStep + kw * w.C + c], acc);
            dst[c] = MathF.Min(MathF.Max(acc, w.Lo), w.Hi);
        }
    }

    /// <summary>Four neighbouring interior output pixels ow..ow+3: each kernel vector is loaded once for all four.</summary>
    private static void Four(in Window w, float* image, float* k, in Conv2DGeometry g, int ih0, int ow, float* outRow)
    {
        int c = 0, kw1 = g.KW;
        long pixelStep = (long)g.StrideW * w.C;
        float* x0 = image + ((long)ih0 * g.W + ow * g.StrideW - g.PadLeft) * w.C;
        float* dst = outRow + (long)ow * w.C;
        if (Vector512.IsHardwareAccelerated)
        {
            var vlo = Vector512.Create(w.Lo);
            var vhi = Vector512.Create(w.Hi);
            for (; c + 16 <= w.C; c += 16)
            {
                var b = Vector512.Load(w.Bias + c);
                Vector512<float> a0 = b, a1 = b, a2 = b, a3 = b;
                for (int kh = w.Kh0; kh < w.Kh1; kh++)
                {
                    float* xr = x0 + kh * w.XRowStep + c;
                    float* kr = k + kh * w.KRowStep + c;
                    for (int kw = 0; kw < kw1; kw++)
                    {
                        var kv = Vector512.Load(kr + kw * w.C);
                        float* xp = xr + kw * w.XColStep;
                        a0 = Vector512.FusedMultiplyAdd(Vector512.Load(xp), kv, a0);
                        a1 = Vector512.FusedMultiplyAdd(Vector512.Load(xp + pixelStep), kv, a1);
                        a2 = Vector512.FusedMultiplyAdd(Vector512.Load(xp + 2 * pixelStep), kv, a2);
                        a3 = Vector512.FusedMultiplyAdd(Vector512.Load(xp + 3 * pixelStep), kv, a3);
                    }
                }
                Vector512.Min(Vector512.Max(a0, vlo), vhi).Store(dst + c);
                Vector512.Min(Vector512.Max(a1, vlo), vhi).Store(dst + w.C + c);
                Vector512.Min(Vector512.Max(a2, vlo), vhi).Store(dst + 2 * w.C + c);
                Vector512.Min(Vector512.Max(a3, vlo), vhi).Store(dst + 3 * w.C + c);
            }
        }
        // Channels left over (or no wide vectors): pixel by pixel.
        if (c < w.C)
            for (int p = 0; p < 4; p++)
            {
                var rest = w;
                rest.C = w.C - c;
                rest.Bias = w.Bias + c;
                OneOffset(rest, x0 + p * pixelStep + c, k + c, w.C, kw1, dst + p * w.C + c);
            }
    }

    /// <summary><see cref="One"/> for a channel sub-range whose kernel taps keep the full channel stride.</summary>
    private static void OneOffset(in Window w, float* x, float* k, int kernelC, int kw1, float* dst)
    {
        int c = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var vlo = Vector256.Create(w.Lo);
            var vhi = Vector256.Create(w.Hi);
            for (; c + 8 <= w.C; c += 8)
            {
                var acc = Vector256.Load(w.Bias + c);
                for (int kh = w.Kh0; kh < w.Kh1; kh++)
                    for (int kw = 0; kw < kw1; kw++)
                        acc = Vector256.FusedMultiplyAdd(Vector256.Load(x + kh * w.XRowStep + kw * w.XColStep + c), Vector256.Load(k + kh * w.KRowStep + kw * kernelC + c), acc);
                Vector256.Min(Vector256.Max(acc, vlo), vhi).Store(dst + c);
            }
        }
        for (; c < w.C; c++)
        {
            float acc = w.Bias[c];
            for (int kh = w.Kh0; kh < w.Kh1; kh++)
                for (int kw = 0; kw < kw1; kw++)
                    acc = MathF.FusedMultiplyAdd(x[kh * w.XRowStep + kw * w.XColStep + c], k[kh * w.KRowStep + kw * kernelC + c], acc);
            dst[c] = MathF.Min(MathF.Max(acc, w.Lo), w.Hi);
        }
    }
}
