using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Graft.Kernels;

/// <summary>
/// 2D max and average pooling. x: (N, H, W, C); y: (N, OH, OW, C); geometry in <see cref="PoolingGeometry"/>.
/// Vector lanes hold consecutive channels of one pixel, so a window is reduced by loading the same lanes
/// from each of its pixels. Average pooling divides by the number of cells inside the image (padded cells
/// are excluded, as in TensorFlow). Max backward sends each gradient to the first maximum of its window
/// in row-major order, recomputed from x, so forward keeps no argmax state. Forward is parallel over
/// output rows; backward over images, since overlapping windows of one image add into the same dx cells.
/// </summary>
public static class Pooling
{
    public static void MaxForward(ReadOnlyMemory<float> x, Memory<float> y, int batch, PoolingGeometry g)
    {
        Check(x.Length, y.Length, batch, g);
        Parallelism.ForChunks(batch * g.OH, (r0, r1) =>
        {
            var xs = x.Span;
            var ys = y.Span;
            for (int r = r0; r < r1; r++)
            {
                int n = r / g.OH, oh = r % g.OH;
                var img = xs.Slice(n * g.InputSize, g.InputSize);
                var (hs, he) = g.RowWindow(oh);
                for (int ow = 0; ow < g.OW; ow++)
                {
                    var (ws, we) = g.ColumnWindow(ow);
                    MaxPixel(img, ys.Slice(((n * g.OH + oh) * g.OW + ow) * g.C, g.C), g, hs, he, ws, we);
                }
            }
        }, (long)g.OW * g.PH * g.PW * Math.Max(g.C, 1));
    }

    public static void AverageForward(ReadOnlyMemory<float> x, Memory<float> y, int batch, PoolingGeometry g)
    {
        Check(x.Length, y.Length, batch, g);
        Parallelism.ForChunks(batch * g.OH, (r0, r1) =>
        {
            var xs = x.Span;
            var ys = y.Span;
            for (int r = r0; r < r1; r++)
            {
                int n = r / g.OH, oh = r % g.OH;
                var img = xs.Slice(n * g.InputSize, g.InputSize);
                var (hs, he) = g.RowWindow(oh);
                for (int ow = 0; ow < g.OW; ow++)
                {
                    var (ws, we) = g.ColumnWindow(ow);
                    var yPix = ys.Slice(((n * g.OH + oh) * g.OW + ow) * g.C, g.C);
                    SumPixel(img, yPix, g, hs, he, ws, we);
                    TensorPrimitives.Multiply(yPix, 1f / ((he - hs) * (we - ws)), yPix);
                }
            }
        }, (long)g.OW * g.PH * g.PW * Math.Max(g.C, 1));
    }

    /// <summary>Overwrites dx with the gradient of max pooling.</summary>
    public static void MaxBackward(ReadOnlyMemory<float> x, ReadOnlyMemory<float> dy, Memory<float> dx, int batch, PoolingGeometry g)
    {
        Check(x.Length, dy.Length, batch, g);
        Check(dx.Length, dy.Length, batch, g);
        Parallelism.ForChunks(batch, (n0, n1) =>
        {
            for (int n = n0; n < n1; n++)
            {
                var img = x.Span.Slice(n * g.InputSize, g.InputSize);
                var dImg = dx.Span.Slice(n * g.InputSize, g.InputSize);
                dImg.Clear();
                for (int oh = 0; oh < g.OH; oh++)
                {
                    var (hs, he) = g.RowWindow(oh);
                    for (int ow = 0; ow < g.OW; ow++)
                    {
                        var (ws, we) = g.ColumnWindow(ow);
                        MaxPixelBackward(img, dy.Span.Slice(((n * g.OH + oh) * g.OW + ow) * g.C, g.C), dImg, g, hs, he, ws, we);
                    }
                }
            }
        }, (long)g.OH * g.OW * g.PH * g.PW * Math.Max(g.C, 1));
    }

    /// <summary>Overwrites dx with the gradient of average pooling.</summary>
    public static void AverageBackward(ReadOnlyMemory<float> dy, Memory<float> dx, int batch, PoolingGeometry g)
    {
        Check(dx.Length, dy.Length, batch, g);
        Parallelism.ForChunks(batch, (n0, n1) =>
        {
            for (int n = n0; n < n1; n++)
            {
                var dImg = dx.Span.Slice(n * g.InputSize, g.InputSize);
                dImg.Clear();
                for (int oh = 0; oh < g.OH; oh++)
                {
                    var (hs, he) = g.RowWindow(oh);
                    for (int ow = 0; ow < g.OW; ow++)
                    {
                        var (ws, we) = g.ColumnWindow(ow);
                        var dyPix = dy.Span.Slice(((n * g.OH + oh) * g.OW + ow) * g.C, g.C);
                        float inv = 1f / ((he - hs) * (we - ws));
                        for (int ih = hs; ih < he; ih++)
                            for (int iw = ws; iw < we; iw++)
                            {
                                var d = dImg.Slice((ih * g.W + iw) * g.C, g.C);
                                TensorPrimitives.MultiplyAdd(dyPix, inv, d, d);
                            }
                    }
                }
            }
        }, (long)g.OH * g.OW * g.PH * g.PW * Math.Max(g.C, 1));
    }

    private static void MaxPixel(ReadOnlySpan<float> img, Span<float> y, PoolingGeometry g, int hs, int he, int ws, int we)
    {
        ref float xr = ref MemoryMarshal.GetReference(img);
        ref float yr = ref MemoryMarshal.GetReference(y);
        int c = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; c <= g.C - 16; c += 16)
            {
                var m = Vector512.Create(float.NegativeInfinity);
                for (int ih = hs; ih < he; ih++)
                    for (int iw = ws; iw < we; iw++)
                        m = Vector512.Max(m, Vector512.LoadUnsafe(ref xr, (nuint)((ih * g.W + iw) * g.C + c)));
                m.StoreUnsafe(ref yr, (nuint)c);
            }
        if (Vector256.IsHardwareAccelerated)
            for (; c <= g.C - 8; c += 8)
            {
                var m = Vector256.Create(float.NegativeInfinity);
                for (int ih = hs; ih < he; ih++)
                    for (int iw = ws; iw < we; iw++)
                        m = Vector256.Max(m, Vector256.LoadUnsafe(ref xr, (nuint)((ih * g.W + iw) * g.C + c)));
                m.StoreUnsafe(ref yr, (nuint)c);
            }
        for (; c < g.C; c++)
        {
            float m = float.NegativeInfinity;
            for (int ih = hs; ih < he; ih++)
                for (int iw = ws; iw < we; iw++) m = MathF.Max(m, Unsafe.Add(ref xr, (ih * g.W + iw) * g.C + c));
            Unsafe.Add(ref yr, c) = m;
        }
    }

    private static void SumPixel(ReadOnlySpan<float> img, Span<float> y, PoolingGeometry g, int hs, int he, int ws, int we)
    {
        ref float xr = ref MemoryMarshal.GetReference(img);
        ref float yr = ref MemoryMarshal.GetReference(y);
        int c = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; c <= g.C - 16; c += 16)
            {
                var s = Vector512<float>.Zero;
                for (int ih = hs; ih < he; ih++)
                    for (int iw = ws; iw < we; iw++) s += Vector512.LoadUnsafe(ref xr, (nuint)((ih * g.W + iw) * g.C + c));
                s.StoreUnsafe(ref yr, (nuint)c);
            }
        if (Vector256.IsHardwareAccelerated)
            for (; c <= g.C - 8; c += 8)
            {
                var s = Vector256<float>.Zero;
                for (int ih = hs; ih < he; ih++)
                    for (int iw = ws; iw < we; iw++) s += Vector256.LoadUnsafe(ref xr, (nuint)((ih * g.W + iw) * g.C + c));
                s.StoreUnsafe(ref yr, (nuint)c);
            }
        for (; c < g.C; c++)
        {
            float s = 0;
            for (int ih = hs; ih < he; ih++)
                for (int iw = ws; iw < we; iw++) s += Unsafe.Add(ref xr, (ih * g.W + iw) * g.C + c);
            Unsafe.Add(ref yr, c) = s;
        }
    }

    // Two passes per lane block: find the window index k of the first maximum (strict > keeps the first of
    // ties), then add dy into the cell whose index matches. Lanes hold channels c..c+15 / c..c+7.
    private static void MaxPixelBackward(ReadOnlySpan<float> img, ReadOnlySpan<float> dy, Span<float> dImg, PoolingGeometry g, int hs, int he, int ws, int we)
    {
        ref float xr = ref MemoryMarshal.GetReference(img);
        ref float gr = ref MemoryMarshal.GetReference(dy);
        ref float dr = ref MemoryMarshal.GetReference(dImg);
        int c = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; c <= g.C - 16; c += 16)
            {
                var best = Vector512.Create(float.NegativeInfinity);
                var bestK = Vector512<float>.Zero;
                float k = 0;
                for (int ih = hs; ih < he; ih++)
                    for (int iw = ws; iw < we; iw++, k++)
                    {
                        var v = Vector512.LoadUnsafe(ref xr, (nuint)((ih * g.W + iw) * g.C + c));
                        var gt = Vector512.GreaterThan(v, best);
                        best = Vector512.ConditionalSelect(gt, v, best);
                        bestK = Vector512.ConditionalSelect(gt, Vector512.Create(k), bestK);
                    }
                var grad = Vector512.LoadUnsafe(ref gr, (nuint)c);
                k = 0;
                for (int ih = hs; ih < he; ih++)
                    for (int iw = ws; iw < we; iw++, k++)
                    {
                        nuint at = (nuint)((ih * g.W + iw) * g.C + c);
                        var hit = Vector512.Equals(bestK, Vector512.Create(k));
                        (Vector512.LoadUnsafe(ref dr, at) + (grad & hit)).StoreUnsafe(ref dr, at);
                    }
            }
        if (Vector256.IsHardwareAccelerated)
            for (; c <= g.C - 8; c += 8)
            {
                var best = Vector256.Create(float.NegativeInfinity);
                var bestK = Vector256<float>.Zero;
                float k = 0;
                for (int ih = hs; ih < he; ih++)
                    for (int iw = ws; iw < we; iw++, k++)
                    {
                        var v = Vector256.LoadUnsafe(ref xr, (nuint)((ih * g.W + iw) * g.C + c));
                        var gt = Vector256.GreaterThan(v, best);
                        best = Vector256.ConditionalSelect(gt, v, best);
                        bestK = Vector256.ConditionalSelect(gt, Vector256.Create(k), bestK);
                    }
                var grad = Vector256.LoadUnsafe(ref gr, (nuint)c);
                k = 0;
                for (int ih = hs; ih < he; ih++)
                    for (int iw = ws; iw < we; iw++, k++)
                    {
                        nuint at = (nuint)((ih * g.W + iw) * g.C + c);
                        var hit = Vector256.Equals(bestK, Vector256.Create(k));
                        (Vector256.LoadUnsafe(ref dr, at) + (grad & hit)).StoreUnsafe(ref dr, at);
                    }
            }
        for (; c < g.C; c++)
        {
            float best = float.NegativeInfinity;
            int bestAt = (hs * g.W + ws) * g.C + c;
            for (int ih = hs; ih < he; ih++)
                for (int iw = ws; iw < we; iw++)
                {
                    int at = (ih * g.W + iw) * g.C + c;
                    if (Unsafe.Add(ref xr, at) > best) { best = Unsafe.Add(ref xr, at); bestAt = at; }
                }
            Unsafe.Add(ref dr, bestAt) += Unsafe.Add(ref gr, c);
        }
    }

    /// <summary>Plain loops over the whole batch: the reference the vector paths are tested against.</summary>
    public static void ForwardScalar(bool max, ReadOnlySpan<float> x, Span<float> y, int batch, PoolingGeometry g)
    {
        for (int n = 0; n < batch; n++)
            for (int oh = 0; oh < g.OH; oh++)
                for (int ow = 0; ow < g.OW; ow++)
                    for (int c = 0; c < g.C; c++)
                    {
                        var (hs, he) = g.RowWindow(oh);
                        var (ws, we) = g.ColumnWindow(ow);
                        float acc = max ? float.NegativeInfinity : 0f;
                        for (int ih = hs; ih < he; ih++)
                            for (int iw = ws; iw < we; iw++)
                            {
                                float v = x[((n * g.H + ih) * g.W + iw) * g.C + c];
                                acc = max ? MathF.Max(acc, v) : acc + v;
                            }
                        y[((n * g.OH + oh) * g.OW + ow) * g.C + c] = max ? acc : acc / ((he - hs) * (we - ws));
                    }
    }

    public static void BackwardScalar(bool max, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, int batch, PoolingGeometry g)
    {
        dx[..(batch * g.InputSize)].Clear();
        for (int n = 0; n < batch; n++)
            for (int oh = 0; oh < g.OH; oh++)
                for (int ow = 0; ow < g.OW; ow++)
                    for (int c = 0; c < g.C; c++)
                    {
                        var (hs, he) = g.RowWindow(oh);
                        var (ws, we) = g.ColumnWindow(ow);
                        float d = dy[((n * g.OH + oh) * g.OW + ow) * g.C + c];
                        int bestAt = -1;
                        float best = float.NegativeInfinity;
                        for (int ih = hs; ih < he; ih++)
                            for (int iw = ws; iw < we; iw++)
                            {
                                int at = ((n * g.H + ih) * g.W + iw) * g.C + c;
                                if (!max) dx[at] += d / ((he - hs) * (we - ws));
                                else if (bestAt < 0 || x[at] > best) { best = x[at]; bestAt = at; }
                            }
                        if (max) dx[bestAt] += d;
                    }
    }

    private static void Check(int inLength, int outLength, int batch, PoolingGeometry g)
    {
        if (inLength != batch * g.InputSize || outLength != batch * g.OutputSize)
            throw new ArgumentException($"Pooling kernel: expected {batch} × {g.InputSize} input and {batch} × {g.OutputSize} output values. Received: {inLength} and {outLength}.");
    }
}
