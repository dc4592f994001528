using System.Runtime.Intrinsics;

namespace Graft.Kernels;

/// <summary>
/// Depthwise 2-D convolution: each input channel has its own DM filters. N: batch; H, W, C: input (NHWC);
/// KH, KW, C, DM: kernel (as Keras's depthwise_kernel); OH, OW, C·DM: output, where output channel c·DM + m is
/// input channel c through filter m (TensorFlow's order).
/// The kernels vectorize over channels: a SIMD lane holds one channel, and the accumulator of a channel block stays in
/// a register across all KH·KW taps. With DM &gt; 1 the kernel (and dy) are first reordered to (..., DM, C) so that
/// lanes stay over consecutive channels; the output is interleaved back per pixel. Work is split over batch × rows.
/// <see cref="DepthwiseConv2DReference"/> holds the plain loops these are tested against.
/// </summary>
public static unsafe class DepthwiseConv2DKernels
{
    [ThreadStatic] private static float[]? t_kernel, t_bias, t_dy, t_dKernel, t_pixel, t_partial;
    private static readonly object s_reduceLock = new();

    /// <summary>y = depthwise(x, kernel) + bias. x: (N, H, W, C); kernel: (KH, KW, C, DM); bias: (C·DM) or empty; y: (N, OH, OW, C·DM).</summary>
    public static void Forward(in Conv2DGeometry g, int n, int dm, ReadOnlySpan<float> x, ReadOnlySpan<float> kernel,
        ReadOnlySpan<float> bias, Span<float> y)
    {
        CheckSizes(g, n, dm, x.Length, kernel.Length, y.Length);
        if (!bias.IsEmpty && bias.Length != g.C * dm) throw new ArgumentException($"Bias length must be C·DM = {g.C * dm}. Received: {bias.Length}.");
        if (dm == 1)
        {
            // The inference kernel (four pixels per kernel load) with an identity clamp; a missing bias is zeros.
            var b = bias;
            if (b.IsEmpty)
            {
                var zeros = Grow(ref t_bias, g.C).AsSpan(0, g.C);
                zeros.Clear();
                b = zeros;
            }
            DepthwiseConv2DFused.Forward(g, n, x, kernel, b, float.NegativeInfinity, float.PositiveInfinity, y);
            return;
        }
        var kt = ToChannelMinor(kernel, g.KH * g.KW, g.C, dm, ref t_kernel);
        var bt = bias.IsEmpty ? default : ToChannelMinor(bias, 1, g.C, dm, ref t_bias);
        var geo = g;
        fixed (float* px = x)
        fixed (float* pk = kt)
        fixed (float* pb = bt)
        fixed (float* py = y)
        {
            var a = new Pointers { X = px, Kernel = pk, Bias = pb, Y = py };
            Parallelism.ForChunks(n * g.OH, (s, e) => ForwardRows(geo, dm, a, s, e), (long)g.OW * g.KH * g.KW * g.C * dm);
        }
    }

    /// <summary>dx (overwritten) from dy: (N, OH, OW, C·DM) and kernel: (KH, KW, C, DM).</summary>
    public static void BackwardInput(in Conv2DGeometry g, int n, int dm, ReadOnlySpan<float> dy, ReadOnlySpan<float> kernel, Span<float> dx)
    {
        CheckSizes(g, n, dm, dx.Length, kernel.Length, dy.Length);
        var kt = ToChannelMinor(kernel, g.KH * g.KW, g.C, dm, ref t_kernel);
        var dyt = ToChannelMinor(dy, n * g.OH * g.OW, g.C, dm, ref t_dy);
        var geo = g;
        fixed (float* pk = kt)
        fixed (float* pdy = dyt)
        fixed (float* pdx = dx)
        {
            var a = new Pointers { Kernel = pk, Dy = pdy, Dx = pdx };
            Parallelism.ForChunks(n * g.H, dm == 1 ? (s, e) => BackwardInputRowsSingle(geo, a, s, e) : (s, e) => BackwardInputRows(geo, dm, a, s, e),
                (long)g.W * g.KH * g.KW * g.C * dm);
        }
    }

    /// <summary>dKernel (KH, KW, C, DM) += dL/dKernel and dBias (C·DM) += Σ dy (when not empty), from x and dy.</summary>
    public static void BackwardWeights(in Conv2DGeometry g, int n, int dm, ReadOnlySpan<float> x, ReadOnlySpan<float> dy,
        Span<float> dKernel, Span<float> dBias)
    {
        CheckSizes(g, n, dm, x.Length, dKernel.Length, dy.Length);
        if (!dBias.IsEmpty) Conv2DKernels.AccumulateBiasGradient(dy, g.C * dm, dBias);
        var dyt = ToChannelMinor(dy, n * g.OH * g.OW, g.C, dm, ref t_dy);
        int taps = g.KH * g.KW, size = taps * dm * g.C;
        var total = Grow(ref t_dKernel, size).AsSpan(0, size);
        total.Clear();
        var geo = g;
        fixed (float* px = x)
        fixed (float* pdy = dyt)
        fixed (float* pt = total)
        {
            var a = new Pointers { X = px, Dy = pdy, Total = pt };
            Parallelism.ForChunks(n * g.OH, dm == 1 ? (s, e) => BackwardWeightsRowsSingle(geo, a, s, e) : (s, e) => BackwardWeightsRows(geo, dm, a, s, e),
                (long)g.OW * taps * g.C * dm);
        }
        // total is (taps, DM, C); dKernel is (taps, C, DM).
        for (int t = 0; t < taps; t++)
        for (int m = 0; m < dm; m++)
        for (int c = 0; c < g.C; c++)
            dKernel[(t * g.C + c) * dm + m] += total[(t * dm + m) * g.C + c];
    }

    /// <summary>The buffers a parallel body works on (pointers, because lambdas cannot capture spans).</summary>
    private struct Pointers
    {
        public float* X, Kernel, Bias, Y, Dy, Dx, Total;
    }

    private static void ForwardRows(in Conv2DGeometry g, int dm, Pointers a, int start, int end)
    {
        int c = g.C, outC = c * dm, tapStride = dm * c;
        // With DM > 1 a pixel is computed filter by filter into (DM, C) order, then interleaved into the output.
        fixed (float* pixel = dm == 1 ? null : Grow(ref t_pixel, outC))
        {
            for (int u = start; u < end; u++)
            {
                int n = u / g.OH, oh = u % g.OH;
                float* image = a.X + (long)n * g.H * g.W * c;
                var (kh0, kh1) = g.KernelRows(oh);
                int ih0 = oh * g.StrideH - g.PadTop;
                for (int ow = 0; ow < g.OW; ow++)
                {
                    var (kw0, kw1) = g.KernelCols(ow);
                    int iw0 = ow * g.StrideW - g.PadLeft;
                    float* outPixel = a.Y + ((long)u * g.OW + ow) * outC;
                    for (int m = 0; m < dm; m++)
                    {
                        var taps = new Taps
                        {
                            X = image + ((long)ih0 * g.W + iw0) * c, XRowStep = (long)g.DilationH * g.W * c, XColStep = g.DilationW * c,
                            K = a.Kernel + m * c, KRowStep = g.KW * tapStride, KColStep = tapStride,
                            Kh0 = kh0, Kh1 = kh1, Kw0 = kw0, Kw1 = kw1,
                        };
                        AccumulateTaps(taps, a.Bias == null ? null : a.Bias + m * c, dm == 1 ? outPixel : pixel + m * c, c);
                    }
                    if (dm != 1)
                        for (int ci = 0; ci < c; ci++)
                        for (int m = 0; m < dm; m++)
                            outPixel[ci * dm + m] = pixel[m * c + ci];
                }
            }
        }
    }

    /// <summary>A window of (x, kernel) pairs to multiply and sum, lane-wise over channels.</summary>
    private struct Taps
    {
        public float* X, K;
        public long XRowStep;
        public int XColStep, KRowStep, KColStep, Kh0, Kh1, Kw0, Kw1;
    }

    /// <summary>dst[c] = init[c] (or 0) + Σ over taps of x_tap[c] · k_tap[c], for c in [0, channels).</summary>
    private static void AccumulateTaps(in Taps t, float* init, float* dst, int channels)
    {
        int c = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; c + Vector512<float>.Count <= channels; c += Vector512<float>.Count)
            {
                var acc = init == null ? Vector512<float>.Zero : Vector512.Load(init + c);
                for (int kh = t.Kh0; kh < t.Kh1; kh++)
                {
                    float* xr = t.X + kh * t.XRowStep + c;
                    float* kr = t.K + kh * t.KRowStep + c;
                    for (int kw = t.Kw0; kw < t.Kw1; kw++)
                        acc = Vector512.FusedMultiplyAdd(Vector512.Load(xr + kw * t.XColStep), Vector512.Load(kr + kw * t.KColStep), acc);
                }
                acc.Store(dst + c);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; c + Vector256<float>.Count <= channels; c += Vector256<float>.Count)
            {
                var acc = init == null ? Vector256<float>.Zero : Vector256.Load(init + c);
                for (int kh = t.Kh0; kh < t.Kh1; kh++)
                {
                    float* xr = t.X + kh * t.XRowStep + c;
                    float* kr = t.K + kh * t.KRowStep + c;
                    for (int kw = t.Kw0; kw < t.Kw1; kw++)
                        acc = Vector256.FusedMultiplyAdd(Vector256.Load(xr + kw * t.XColStep), Vector256.Load(kr + kw * t.KColStep), acc);
                }
                acc.Store(dst + c);
            }
        }
        for (; c < channels; c++)
        {
            float acc = init == null ? 0f : init[c];
            for (int kh = t.Kh0; kh < t.Kh1; kh++)
            {
                float* xr = t.X + kh * t.XRowStep + c;
                float* kr = t.K + kh * t.KRowStep + c;
                for (int kw = t.Kw0; kw < t.Kw1; kw++)
                    acc += xr[kw * t.XColStep] * kr[kw * t.KColStep];
            }
            dst[c] = acc;
        }
    }

    private static void BackwardInputRows(in Conv2DGeometry g, int dm, Pointers a, int start, int end)
    {
        int c = g.C, tapStride = dm * c;
        // (kernel row, output row) pairs that reach input row ih, then (kernel column, output column) pairs for iw.
        Span<int> rowsTaps = g.KH <= 64 ? stackalloc int[2 * g.KH] : new int[2 * g.KH];
        Span<int> colTaps = g.KW <= 64 ? stackalloc int[2 * g.KW] : new int[2 * g.KW];
        for (int r = start; r < end; r++)
        {
            int n = r / g.H, ih = r % g.H;
            int nRows = ReachingTaps(ih, g.PadTop, g.DilationH, g.StrideH, g.KH, g.OH, rowsTaps);
            for (int iw = 0; iw < g.W; iw++)
            {
                float* dst = a.Dx + ((long)r * g.W + iw) * c;
                int nCols = ReachingTaps(iw, g.PadLeft, g.DilationW, g.StrideW, g.KW, g.OW, colTaps);
                new Span<float>(dst, c).Clear();
                for (int i = 0; i < nRows; i++)
                for (int j = 0; j < nCols; j++)
                {
                    int kh = rowsTaps[2 * i], oh = rowsTaps[2 * i + 1], kw = colTaps[2 * j], ow = colTaps[2 * j + 1];
                    float* dyPixel = a.Dy + (((long)n * g.OH + oh) * g.OW + ow) * tapStride;
                    float* kTap = a.Kernel + (kh * g.KW + kw) * tapStride;
                    for (int m = 0; m < dm; m++) MultiplyAdd(dyPixel + m * c, kTap + m * c, dst, c);
                }
            }
        }
    }

    /// <summary>
    /// dx for DM = 1: each input pixel's gradient is summed over the taps that read it in registers (a channel
    /// block at a time) and stored once, instead of being read and written back per tap.
    /// </summary>
    private static void BackwardInputRowsSingle(in Conv2DGeometry g, Pointers a, int start, int end)
    {
        int c = g.C;
        Span<int> rowTaps = g.KH <= 64 ? stackalloc int[2 * g.KH] : new int[2 * g.KH];
        Span<int> colTaps = g.KW <= 64 ? stackalloc int[2 * g.KW] : new int[2 * g.KW];
        Span<long> dyOffsets = g.KH * g.KW <= 256 ? stackalloc long[g.KH * g.KW] : new long[g.KH * g.KW];
        Span<int> kOffsets = g.KH * g.KW <= 256 ? stackalloc int[g.KH * g.KW] : new int[g.KH * g.KW];
        for (int r = start; r < end; r++)
        {
            int n = r / g.H, ih = r % g.H;
            int nRows = ReachingTaps(ih, g.PadTop, g.DilationH, g.StrideH, g.KH, g.OH, rowTaps);
            for (int iw = 0; iw < g.W; iw++)
            {
                int nCols = ReachingTaps(iw, g.PadLeft, g.DilationW, g.StrideW, g.KW, g.OW, colTaps);
                int pairs = 0;
                for (int i = 0; i < nRows; i++)
                for (int j = 0; j < nCols; j++, pairs++)
                {
                    dyOffsets[pairs] = (((long)n * g.OH + rowTaps[2 * i + 1]) * g.OW + colTaps[2 * j + 1]) * c;
                    kOffsets[pairs] = (rowTaps[2 * i] * g.KW + colTaps[2 * j]) * c;
                }
                float* dst = a.Dx + ((long)r * g.W + iw) * c;
                int ci = 0;
                if (Vector512.IsHardwareAccelerated)
                    for (; ci + 16 <= c; ci += 16)
                    {
                        var acc = Vector512<float>.Zero;
                        for (int p = 0; p < pairs; p++)
                            acc = Vector512.FusedMultiplyAdd(Vector512.Load(a.Dy + dyOffsets[p] + ci), Vector512.Load(a.Kernel + kOffsets[p] + ci), acc);
                        acc.Store(dst + ci);
                    }
                if (Vector256.IsHardwareAccelerated)
                    for (; ci + 8 <= c; ci += 8)
                    {
                        var acc = Vector256<float>.Zero;
                        for (int p = 0; p < pairs; p++)
                            acc = Vector256.FusedMultiplyAdd(Vector256.Load(a.Dy + dyOffsets[p] + ci), Vector256.Load(a.Kernel + kOffsets[p] + ci), acc);
                        acc.Store(dst + ci);
                    }
                for (; ci < c; ci++)
                {
                    float acc = 0;
                    for (int p = 0; p < pairs; p++) acc += a.Dy[dyOffsets[p] + ci] * a.Kernel[kOffsets[p] + ci];
                    dst[ci] = acc;
                }
            }
        }
    }

    /// <summary>
    /// dKernel for DM = 1: for each output row and tap, the products over the row's output columns are summed in
    /// registers (a channel block at a time) and added to the thread's partial kernel once.
    /// </summary>
    private static void BackwardWeightsRowsSingle(in Conv2DGeometry g, Pointers a, int start, int end)
    {
        int c = g.C, size = g.KH * g.KW * c;
        var partial = Grow(ref t_partial, size).AsSpan(0, size);
        partial.Clear();
        long xStep = (long)g.StrideW * c;
        fixed (float* p = partial)
        {
            for (int u = start; u < end; u++)
            {
                int n = u / g.OH, oh = u % g.OH;
                var (kh0, kh1) = g.KernelRows(oh);
                int ih0 = oh * g.StrideH - g.PadTop;
                float* dyRow = a.Dy + (long)u * g.OW * c;
                for (int kh = kh0; kh < kh1; kh++)
                for (int kw = 0; kw < g.KW; kw++)
                {
                    // Output columns whose tap kw lands inside the image: iw = ow·stride − padLeft + kw·dilation in [0, W).
                    int shift = kw * g.DilationW - g.PadLeft;
                    int ow0 = shift >= 0 ? 0 : (-shift + g.StrideW - 1) / g.StrideW;
                    int ow1 = Math.Min(g.OW, g.W - 1 - shift < 0 ? 0 : (g.W - 1 - shift) / g.StrideW + 1);
                    if (ow0 >= ow1) continue;
                    float* xs = a.X + (((long)n * g.H + ih0 + kh * g.DilationH) * g.W + ow0 * g.StrideW + shift) * c;
                    float* dys = dyRow + (long)ow0 * c;
                    float* pt = p + (kh * g.KW + kw) * c;
                    int count = ow1 - ow0, ci = 0;
                    if (Vector512.IsHardwareAccelerated)
                        for (; ci + 16 <= c; ci += 16)
                        {
                            var acc = Vector512<float>.Zero;
                            for (int q = 0; q < count; q++)
                                acc = Vector512.FusedMultiplyAdd(Vector512.Load(xs + q * xStep + ci), Vector512.Load(dys + (long)q * c + ci), acc);
                            (Vector512.Load(pt + ci) + acc).Store(pt + ci);
                        }
                    if (Vector256.IsHardwareAccelerated)
                        for (; ci + 8 <= c; ci += 8)
                        {
                            var acc = Vector256<float>.Zero;
                            for (int q = 0; q < count; q++)
                                acc = Vector256.FusedMultiplyAdd(Vector256.Load(xs + q * xStep + ci), Vector256.Load(dys + (long)q * c + ci), acc);
                            (Vector256.Load(pt + ci) + acc).Store(pt + ci);
                        }
                    for (; ci < c; ci++)
                    {
                        float acc = 0;
                        for (int q = 0; q < count; q++) acc += xs[q * xStep + ci] * dys[(long)q * c + ci];
                        pt[ci] += acc;
                    }
                }
            }
        }
        lock (s_reduceLock)
        {
            var total = new Span<float>(a.Total, size);
            TensorPrimitives.Add(total, partial, total);
        }
    }

    /// <summary>Pairs (tap, output index) whose window reads input index <paramref name="i"/>; returns how many.</summary>
    private static int ReachingTaps(int i, int padBefore, int dilation, int stride, int k, int outSize, Span<int> pairs)
    {
        int count = 0;
        for (int t = 0; t < k; t++)
        {
            int num = i + padBefore - t * dilation;
            if (num < 0) break;
            if (num % stride != 0) continue;
            int o = num / stride;
            if (o >= outSize) continue;
            pairs[2 * count] = t;
            pairs[2 * count + 1] = o;
            count++;
        }
        return count;
    }

    private static void BackwardWeightsRows(in Conv2DGeometry g, int dm, Pointers a, int start, int end)
    {
        int c = g.C, tapStride = dm * c, size = g.KH * g.KW * tapStride;
        var partial = Grow(ref t_partial, size).AsSpan(0, size);
        partial.Clear();
        fixed (float* p = partial)
        {
            for (int u = start; u < end; u++)
            {
                int n = u / g.OH, oh = u % g.OH;
                float* image = a.X + (long)n * g.H * g.W * c;
                var (kh0, kh1) = g.KernelRows(oh);
                int ih0 = oh * g.StrideH - g.PadTop;
                for (int ow = 0; ow < g.OW; ow++)
                {
                    var (kw0, kw1) = g.KernelCols(ow);
                    int iw0 = ow * g.StrideW - g.PadLeft;
                    float* dyPixel = a.Dy + ((long)u * g.OW + ow) * tapStride;
                    for (int kh = kh0; kh < kh1; kh++)
                    for (int kw = kw0; kw < kw1; kw++)
                    {
                        float* xs = image + ((long)(ih0 + kh * g.DilationH) * g.W + iw0 + kw * g.DilationW) * c;
                        float* pt = p + (kh * g.KW + kw) * tapStride;
                        for (int m = 0; m < dm; m++) MultiplyAdd(xs, dyPixel + m * c, pt + m * c, c);
                    }
                }
            }
        }
        // Few chunks (one per thread), each reducing a kernel-sized buffer: a lock costs nothing here.
        lock (s_reduceLock)
        {
            var total = new Span<float>(a.Total, size);
            TensorPrimitives.Add(total, partial, total);
        }
    }

    /// <summary>acc[i] += a[i] · b[i] for i in [0, length).</summary>
    private static void MultiplyAdd(float* a, float* b, float* acc, int length)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i + Vector512<float>.Count <= length; i += Vector512<float>.Count)
                Vector512.FusedMultiplyAdd(Vector512.Load(a + i), Vector512.Load(b + i), Vector512.Load(acc + i)).Store(acc + i);
        if (Vector256.IsHardwareAccelerated)
            for (; i + Vector256<float>.Count <= length; i += Vector256<float>.Count)
                Vector256.FusedMultiplyAdd(Vector256.Load(a + i), Vector256.Load(b + i), Vector256.Load(acc + i)).Store(acc + i);
        for (; i < length; i++) acc[i] += a[i] * b[i];
    }

    /// <summary>Reorders (rows, C, DM) to (rows, DM, C) into scratch; with DM = 1 the layouts agree and the input is returned.</summary>
    private static ReadOnlySpan<float> ToChannelMinor(ReadOnlySpan<float> src, int rows, int c, int dm, ref float[]? scratch)
    {
        if (dm == 1) return src;
        int size = rows * c * dm;
        var dst = Grow(ref scratch, size).AsSpan(0, size);
        for (int r = 0; r < rows; r++)
        {
            var s = src.Slice(r * c * dm, c * dm);
            var d = dst.Slice(r * c * dm, c * dm);
            for (int ci = 0; ci < c; ci++)
            for (int m = 0; m < dm; m++)
                d[m * c + ci] = s[ci * dm + m];
        }
        return dst;
    }

    private static float[] Grow(ref float[]? buffer, int length)
    {
        if (buffer is null || buffer.Length < length) buffer = GC.AllocateUninitializedArray<float>(Math.Max(length, 1));
        return buffer;
    }

    private static void CheckSizes(in Conv2DGeometry g, int n, int dm, int xLength, int kernelLength, int yLength)
    {
        if (dm < 1) throw new ArgumentException($"Depth multiplier must be at least 1. Received: {dm}.");
        if (!g.Fits) throw new ArgumentException($"The {g.KH}×{g.KW} window does not fit the {g.H}×{g.W} input with this padding.");
        if (xLength != n * g.H * g.W * g.C || kernelLength != g.KH * g.KW * g.C * dm || yLength != n * g.OH * g.OW * g.C * dm)
            throw new ArgumentException(
                $"DepthwiseConv2D buffers do not match the geometry: expected x {n * g.H * g.W * g.C}, kernel {g.KH * g.KW * g.C * dm}, y {n * g.OH * g.OW * g.C * dm} values. " +
                $"Received: {xLength}, {kernelLength}, {yLength}.");
    }
}
