namespace Graft.Kernels;

/// <summary>
/// The plain loops <see cref="DepthwiseConv2DKernels"/> is tested against, in Keras's layouts.
/// N: batch; H, W, C: input (NHWC); KH, KW, C, DM: kernel; OH, OW, C·DM: output (channel c·DM + m).
/// </summary>
public static class DepthwiseConv2DReference
{
    public static void Forward(in Conv2DGeometry g, int n, int dm, ReadOnlySpan<float> x, ReadOnlySpan<float> kernel,
        ReadOnlySpan<float> bias, Span<float> y)
    {
        int outC = g.C * dm;
        for (int b = 0; b < n; b++)
        for (int oh = 0; oh < g.OH; oh++)
        for (int ow = 0; ow < g.OW; ow++)
        for (int c = 0; c < g.C; c++)
        for (int m = 0; m < dm; m++)
        {
            float s = bias.IsEmpty ? 0f : bias[c * dm + m];
            for (int kh = 0; kh < g.KH; kh++)
            for (int kw = 0; kw < g.KW; kw++)
                if (Conv2DReference.Tap(g, oh, ow, kh, kw, out int ih, out int iw))
                    s += x[((b * g.H + ih) * g.W + iw) * g.C + c] * kernel[((kh * g.KW + kw) * g.C + c) * dm + m];
            y[((b * g.OH + oh) * g.OW + ow) * outC + c * dm + m] = s;
        }
    }

    /// <summary>dx (overwritten; skipped when empty) and dKernel, dBias (accumulated; skipped when empty).</summary>
    public static void Backward(in Conv2DGeometry g, int n, int dm, ReadOnlySpan<float> x, ReadOnlySpan<float> kernel,
        ReadOnlySpan<float> dy, Span<float> dx, Span<float> dKernel, Span<float> dBias)
    {
        int outC = g.C * dm;
        dx.Clear();
        for (int b = 0; b < n; b++)
        for (int oh = 0; oh < g.OH; oh++)
        for (int ow = 0; ow < g.OW; ow++)
        for (int c = 0; c < g.C; c++)
        for (int m = 0; m < dm; m++)
        {
            float d = dy[((b * g.OH + oh) * g.OW + ow) * outC + c * dm + m];
            if (!dBias.IsEmpty) dBias[c * dm + m] += d;
            for (int kh = 0; kh < g.KH; kh++)
            for (int kw = 0; kw < g.KW; kw++)
            {
                if (!Conv2DReference.Tap(g, oh, ow, kh, kw, out int ih, out int iw)) continue;
                int xi = ((b * g.H + ih) * g.W + iw) * g.C + c, ki = ((kh * g.KW + kw) * g.C + c) * dm + m;
                if (!dx.IsEmpty) dx[xi] += d * kernel[ki];
                if (!dKernel.IsEmpty) dKernel[ki] += d * x[xi];
            }
        }
    }
}
