namespace Graft.Kernels;

/// <summary>
/// Lowers a convolution to a matrix product. N, H, W, C: input batch, rows, columns, channels (NHWC);
/// KH, KW: window; OH, OW: output rows and columns; K = KH·KW·C.
/// The column matrix has one row per output pixel and K columns ordered (kh, kw, c), the order of an HWIO
/// kernel flattened to (K, COUT), so conv = columns · kernel. Work is counted in "units": one output row
/// (n, oh) is unit n·OH + oh, and its OW pixels are consecutive rows of the column matrix, which lets the
/// batch be processed in chunks of units whose output rows are contiguous in NHWC.
/// </summary>
public static unsafe class Im2Col
{
    /// <summary>
    /// Fills column rows for units [<paramref name="start"/>, <paramref name="end"/>); unit u goes to rows
    /// (u − <paramref name="baseUnit"/>)·OW onwards. Taps outside the image are zeros.
    /// </summary>
    public static void Pack(in Conv2DGeometry g, float* x, float* cols, int baseUnit, int start, int end)
    {
        int c = g.C, k = g.KH * g.KW * c, rowLen = g.KW * c;
        for (int u = start; u < end; u++)
        {
            int n = u / g.OH, oh = u % g.OH;
            float* image = x + (long)n * g.H * g.W * c;
            var (kh0, kh1) = g.KernelRows(oh);
            int ih0 = oh * g.StrideH - g.PadTop;
            for (int ow = 0; ow < g.OW; ow++)
            {
                float* row = cols + ((long)(u - baseUnit) * g.OW + ow) * k;
                var (kw0, kw1) = g.KernelCols(ow);
                int iw0 = ow * g.StrideW - g.PadLeft;
                for (int kh = 0; kh < g.KH; kh++)
                {
                    var dst = new Span<float>(row + kh * rowLen, rowLen);
                    if (kh < kh0 || kh >= kh1 || kw0 >= kw1) { dst.Clear(); continue; }
                    float* src = image + ((long)(ih0 + kh * g.DilationH) * g.W + iw0) * c;
                    dst[..(kw0 * c)].Clear();
                    if (g.DilationW == 1)
                        new ReadOnlySpan<float>(src + kw0 * c, (kw1 - kw0) * c).CopyTo(dst[(kw0 * c)..]);
                    else
                        for (int kw = kw0; kw < kw1; kw++)
                            new ReadOnlySpan<float>(src + (long)kw * g.DilationW * c, c).CopyTo(dst.Slice(kw * c, c));
                    dst[(kw1 * c)..].Clear();
                }
            }
        }
    }

    /// <summary>
    /// The adjoint of <see cref="Pack"/>, as a gather so that threads never write the same pixel: adds into input rows
    /// r = n·H + ih for r in [<paramref name="start"/>, <paramref name="end"/>) every column entry of units
    /// [<paramref name="unitLo"/>, <paramref name="unitHi"/>) that was read from them (unit u at rows (u − unitLo)·OW).
    /// </summary>
    public static void AccumulateInputRows(in Conv2DGeometry g, float* dcols, float* dx, int unitLo, int unitHi, int start, int end)
    {
        int c = g.C, k = g.KH * g.KW * c;
        for (int r = start; r < end; r++)
        {
            int n = r / g.H, ih = r % g.H;
            float* dxRow = dx + (long)r * g.W * c;
            for (int kh = 0; kh < g.KH; kh++)
            {
                int num = ih + g.PadTop - kh * g.DilationH;
                if (num < 0 || num % g.StrideH != 0) continue;
                int oh = num / g.StrideH;
                if (oh >= g.OH) continue;
                int u = n * g.OH + oh;
                if (u < unitLo || u >= unitHi) continue;
                float* unitCols = dcols + (long)(u - unitLo) * g.OW * k + kh * g.KW * c;
                for (int iw = 0; iw < g.W; iw++)
                {
                    var acc = new Span<float>(dxRow + iw * c, c);
                    for (int kw = 0; kw < g.KW; kw++)
                    {
                        int numW = iw + g.PadLeft - kw * g.DilationW;
                        if (numW < 0 || numW % g.StrideW != 0) continue;
                        int ow = numW / g.StrideW;
                        if (ow >= g.OW) continue;
                        TensorPrimitives.Add(acc, new ReadOnlySpan<float>(unitCols + (long)ow * k + kw * c, c), acc);
                    }
                }
            }
        }
    }
}
