namespace Graft.Kernels;

/// <summary>
/// The plain loops every fast convolution path is tested against (Conv2D with groups = 1).
/// N: batch; H, W, CIN: input (NHWC); KH, KW, CIN, COUT: kernel (HWIO); OH, OW: output.
/// </summary>
public static class Conv2DReference
{
    public static void Forward(in Conv2DGeometry g, int n, int cout, ReadOnlySpan<float> x, ReadOnlySpan<float> kernel,
        ReadOnlySpan<float> bias, Span<float> y)
    {
        for (int b = 0; b < n; b++)
        for (int oh = 0; oh < g.OH; oh++)
        for (int ow = 0; ow < g.OW; ow++)
        for (int co = 0; co < cout; co++)
        {
            double s = bias.IsEmpty ? 0 : bias[co];
            for (int kh = 0; kh < g.KH; kh++)
            for (int kw = 0; kw < g.KW; kw++)
            {
                if (!Tap(g, oh, ow, kh, kw, out int ih, out int iw)) continue;
                for (int ci = 0; ci < g.C; ci++)
                    s += (double)x[((b * g.H + ih) * g.W + iw) * g.C + ci] * kernel[((kh * g.KW + kw) * g.C + ci) * cout + co];
            }
            y[((b * g.OH + oh) * g.OW + ow) * cout + co] = (float)s;
        }
    }

    /// <summary>dx (overwritten) and dKernel, dBias (accumulated; skipped when empty).</summary>
    public static void Backward(in Conv2DGeometry g, int n, int cout, ReadOnlySpan<float> x, ReadOnlySpan<float> kernel,
        ReadOnlySpan<float> dy, Span<float> dx, Span<float> dKernel, Span<float> dBias)
    {
        dx.Clear();
        for (int b = 0; b < n; b++)
        for (int oh = 0; oh < g.OH; oh++)
        for (int ow = 0; ow < g.OW; ow++)
        for (int co = 0; co < cout; co++)
        {
            float d = dy[((b * g.OH + oh) * g.OW + ow) * cout + co];
            if (!dBias.IsEmpty) dBias[co] += d;
            for (int kh = 0; kh < g.KH; kh++)
            for (int kw = 0; kw < g.KW; kw++)
            {
                if (!Tap(g, oh, ow, kh, kw, out int ih, out int iw)) continue;
                for (int ci = 0; ci < g.C; ci++)
                {
                    int xi = ((b * g.H + ih) * g.W + iw) * g.C + ci, wi = ((kh * g.KW + kw) * g.C + ci) * cout + co;
                    if (!dx.IsEmpty) dx[xi] += d * kernel[wi];
                    if (!dKernel.IsEmpty) dKernel[wi] += d * x[xi];
                }
            }
        }
    }

    /// <summary>The input pixel that tap (kh, kw) of output pixel (oh, ow) reads; false when it falls in the padding.</summary>
    public static bool Tap(in Conv2DGeometry g, int oh, int ow, int kh, int kw, out int ih, out int iw)
    {
        ih = oh * g.StrideH - g.PadTop + kh * g.DilationH;
        iw = ow * g.StrideW - g.PadLeft + kw * g.DilationW;
        return ih >= 0 && ih < g.H && iw >= 0 && iw < g.W;
    }
}
