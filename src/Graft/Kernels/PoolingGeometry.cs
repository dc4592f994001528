namespace Graft.Kernels;

/// <summary>
/// Where the windows of a 2D pooling lie on an (H, W, C) image: input (H, W), window (PH, PW), strides
/// (SH, SW), output (OH, OW). "same" padding follows TensorFlow: OH = ⌈H / SH⌉ and the padding that needs
/// is split with the odd cell on the bottom/right, so PadTop = ⌊total / 2⌋. Padded cells are never read:
/// windows are clipped to the image.
/// </summary>
public readonly record struct PoolingGeometry(int H, int W, int C, int PH, int PW, int SH, int SW, int OH, int OW, int PadTop, int PadLeft)
{
    public static PoolingGeometry Create(int h, int w, int c, int poolH, int poolW, int strideH, int strideW, bool samePadding)
    {
        if (poolH <= 0 || poolW <= 0 || strideH <= 0 || strideW <= 0)
            throw new ArgumentException($"Pooling window and strides must be positive. Received: pool ({poolH}, {poolW}), strides ({strideH}, {strideW}).");
        if (samePadding)
        {
            int oh = (h + strideH - 1) / strideH, ow = (w + strideW - 1) / strideW;
            int padH = Math.Max((oh - 1) * strideH + poolH - h, 0), padW = Math.Max((ow - 1) * strideW + poolW - w, 0);
            return new(h, w, c, poolH, poolW, strideH, strideW, oh, ow, padH / 2, padW / 2);
        }
        return new(h, w, c, poolH, poolW, strideH, strideW,
            h >= poolH ? (h - poolH) / strideH + 1 : 0, w >= poolW ? (w - poolW) / strideW + 1 : 0, 0, 0);
    }

    public int InputSize => H * W * C;
    public int OutputSize => OH * OW * C;

    /// <summary>The window of output row <paramref name="oh"/> clipped to the image: input rows [start, end).</summary>
    public (int Start, int End) RowWindow(int oh)
    {
        int s = oh * SH - PadTop;
        return (Math.Max(s, 0), Math.Min(s + PH, H));
    }

    public (int Start, int End) ColumnWindow(int ow)
    {
        int s = ow * SW - PadLeft;
        return (Math.Max(s, 0), Math.Min(s + PW, W));
    }
}
