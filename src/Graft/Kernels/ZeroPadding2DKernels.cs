namespace Graft.Kernels;

/// <summary>
/// Zero padding of NHWC images. N: batch; H, W, C: input; H + Top + Bottom, W + Left + Right, C: output.
/// Each input row lands contiguously inside an output row, so both directions are row copies.
/// </summary>
public static class ZeroPadding2DKernels
{
    /// <summary>y: (N, H + top + bottom, W + left + right, C) = x: (N, H, W, C) surrounded by zeros.</summary>
    public static void Forward(int n, int h, int w, int c, int top, int bottom, int left, int right, ReadOnlySpan<float> x, Span<float> y)
    {
        int oh = h + top + bottom, ow = w + left + right;
        Check(n, h, w, c, oh, ow, x.Length, y.Length);
        int inRow = w * c, outRow = ow * c;
        for (int b = 0; b < n; b++)
        {
            var image = y.Slice(b * oh * outRow, oh * outRow);
            image[..(top * outRow)].Clear();
            for (int i = 0; i < h; i++)
            {
                var row = image.Slice((top + i) * outRow, outRow);
                row[..(left * c)].Clear();
                x.Slice((b * h + i) * inRow, inRow).CopyTo(row[(left * c)..]);
                row[((left + w) * c)..].Clear();
            }
            image[((top + h) * outRow)..].Clear();
        }
    }

    /// <summary>dx: (N, H, W, C) (overwritten) = the interior of dy: (N, H + top + bottom, W + left + right, C).</summary>
    public static void Backward(int n, int h, int w, int c, int top, int bottom, int left, int right, ReadOnlySpan<float> dy, Span<float> dx)
    {
        int oh = h + top + bottom, ow = w + left + right;
        Check(n, h, w, c, oh, ow, dx.Length, dy.Length);
        int inRow = w * c, outRow = ow * c;
        for (int b = 0; b < n; b++)
        for (int i = 0; i < h; i++)
            dy.Slice(((b * oh) + top + i) * outRow + left * c, inRow).CopyTo(dx.Slice((b * h + i) * inRow, inRow));
    }

    private static void Check(int n, int h, int w, int c, int oh, int ow, int xLength, int yLength)
    {
        if (xLength != n * h * w * c || yLength != n * oh * ow * c)
            throw new ArgumentException($"ZeroPadding2D buffers do not match: expected {n * h * w * c} input and {n * oh * ow * c} output values. Received: {xLength}, {yLength}.");
    }
}
