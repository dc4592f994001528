namespace Graft.Kernels;

/// <summary>
/// Everything about a 2-D sliding window except the batch size and the weights, shared by Conv2D and
/// DepthwiseConv2D (and usable by pooling). H, W, C: input rows, columns, channels; KH, KW: window;
/// OH, OW: output rows and columns. Padding is resolved to amounts here, so kernels never see "same".
/// Output pixel (oh, ow) reads input (oh·StrideH − PadTop + kh·DilationH, ow·StrideW − PadLeft + kw·DilationW).
/// </summary>
public readonly record struct Conv2DGeometry
{
    public int H { get; init; }
    public int W { get; init; }
    public int C { get; init; }
    public int KH { get; init; }
    public int KW { get; init; }
    public int StrideH { get; init; }
    public int StrideW { get; init; }
    public int DilationH { get; init; }
    public int DilationW { get; init; }
    public int PadTop { get; init; }
    public int PadBottom { get; init; }
    public int PadLeft { get; init; }
    public int PadRight { get; init; }
    public int OH { get; init; }
    public int OW { get; init; }

    /// <summary>Resolves the padding; OH or OW come out ≤ 0 when the window does not fit (callers report that).</summary>
    public static Conv2DGeometry Create(int h, int w, int c, int kh, int kw, int strideH, int strideW,
        int dilationH, int dilationW, Padding2D padding)
    {
        if (h <= 0 || w <= 0 || c <= 0 || kh <= 0 || kw <= 0 || strideH <= 0 || strideW <= 0 || dilationH <= 0 || dilationW <= 0)
            throw new ArgumentException($"Convolution sizes must be positive. Received: input {h}×{w}×{c}, kernel {kh}×{kw}, strides {strideH}×{strideW}, dilation {dilationH}×{dilationW}.");
        var (t, b, l, r) = padding.Resolve(h, w, kh, kw, strideH, strideW, dilationH, dilationW);
        return new Conv2DGeometry
        {
            H = h, W = w, C = c, KH = kh, KW = kw,
            StrideH = strideH, StrideW = strideW, DilationH = dilationH, DilationW = dilationW,
            PadTop = t, PadBottom = b, PadLeft = l, PadRight = r,
            OH = Padding2D.OutputSize(h, kh, strideH, dilationH, t, b),
            OW = Padding2D.OutputSize(w, kw, strideW, dilationW, l, r),
        };
    }

    public bool Fits => OH > 0 && OW > 0;

    /// <summary>A 1×1 window at stride 1 without padding: output pixels are input pixels, so the conv is one GEMM.</summary>
    public bool IsPointwise => KH == 1 && KW == 1 && StrideH == 1 && StrideW == 1 && PadTop == 0 && PadBottom == 0 && PadLeft == 0 && PadRight == 0;

    /// <summary>Valid kernel rows [lo, hi) for output row <paramref name="oh"/> (those that land inside the image).</summary>
    public (int Lo, int Hi) KernelRows(int oh) => ValidTaps(oh * StrideH - PadTop, DilationH, KH, H);

    /// <summary>Valid kernel columns [lo, hi) for output column <paramref name="ow"/>.</summary>
    public (int Lo, int Hi) KernelCols(int ow) => ValidTaps(ow * StrideW - PadLeft, DilationW, KW, W);

    private static (int, int) ValidTaps(int start, int dilation, int k, int size)
    {
        // Taps t with 0 ≤ start + t·dilation < size.
        int lo = start >= 0 ? 0 : (-start + dilation - 1) / dilation;
        int hi = start >= size ? 0 : Math.Min(k, (size - 1 - start) / dilation + 1);
        return (Math.Min(lo, hi), hi);
    }
}
