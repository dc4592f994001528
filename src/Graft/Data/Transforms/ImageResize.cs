using System.Buffers;
using Graft.Data.Images;

namespace Graft.Data.Transforms;

/// <summary>
/// Separable bilinear resizing of 8-bit RGB: a horizontal pass into float rows, then a vertical pass that
/// blends whole rows (vectorised), rounded once at the end. With <see cref="ResizeMethod.Antialiased"/> it
/// reproduces Pillow's Image.resize(..., BILINEAR, box=...) to within ±1 (Pillow rounds between passes).
/// </summary>
public static class ImageResize
{
    public static RgbImage Resize(RgbImage source, int width, int height, ResizeMethod method = ResizeMethod.Antialiased, CropBox? box = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (width <= 0 || height <= 0) throw new ArgumentException($"Resize target must be positive. Received: {width}x{height}.");
        var b = box ?? CropBox.Of(source.Width, source.Height);
        if (b.X0 < 0 || b.Y0 < 0 || b.X1 > source.Width || b.Y1 > source.Height || b.Width <= 0 || b.Height <= 0)
            throw new ArgumentException($"Crop box {b} must lie within the {source.Width}x{source.Height} image and be non-empty.");

        var horizontal = ResizeWeights.Create(source.Width, b.X0, b.X1, width, method);
        var vertical = ResizeWeights.Create(source.Height, b.Y0, b.Y1, height, method);
        var dst = new RgbImage(width, height);
        if (horizontal.IsIdentity && vertical.IsIdentity)
        {
            source.Span.CopyTo(dst.Span);
            return dst;
        }

        // Only source rows some output row reads are resized horizontally.
        int rowFirst = vertical.First[0], rowEnd = 0;
        for (int i = 0; i < height; i++)
        {
            rowFirst = Math.Min(rowFirst, vertical.First[i]);
            rowEnd = Math.Max(rowEnd, vertical.First[i] + vertical.Count[i]);
        }
        int rowLength = width * 3;
        int rows = rowEnd - rowFirst;
        var tmp = ArrayPool<float>.Shared.Rent(rows * rowLength);
        var acc = ArrayPool<float>.Shared.Rent(rowLength);
        try
        {
            for (int r = 0; r < rows; r++)
                HorizontalRow(source.Row(rowFirst + r), horizontal, tmp.AsSpan(r * rowLength, rowLength));
            var sum = acc.AsSpan(0, rowLength);
            for (int y = 0; y < height; y++)
            {
                int first = vertical.First[y] - rowFirst, n = vertical.Count[y];
                var w = vertical.Weights.AsSpan(y * vertical.Stride, n);
                TensorPrimitives.Multiply(tmp.AsSpan(first * rowLength, rowLength), w[0], sum);
                for (int k = 1; k < n; k++)
                    TensorPrimitives.MultiplyAdd(tmp.AsSpan((first + k) * rowLength, rowLength), w[k], sum, sum);
                ToBytes(sum, dst.Row(y));
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(tmp);
            ArrayPool<float>.Shared.Return(acc);
        }
        return dst;
    }

    /// <summary>Scales so that the shorter side becomes <paramref name="size"/>, keeping the aspect ratio (the longer side is rounded).</summary>
    public static RgbImage ResizeShorterSide(RgbImage source, int size, ResizeMethod method = ResizeMethod.Antialiased)
    {
        var (w, h) = ShorterSideSize(source.Width, source.Height, size);
        return w == source.Width && h == source.Height ? source : Resize(source, w, h, method);
    }

    public static (int Width, int Height) ShorterSideSize(int width, int height, int size)
    {
        if (size <= 0) throw new ArgumentException($"Size must be positive. Received: {size}.");
        return width <= height
            ? (size, Math.Max(1, (int)Math.Round((double)height * size / width, MidpointRounding.AwayFromZero)))
            : (Math.Max(1, (int)Math.Round((double)width * size / height, MidpointRounding.AwayFromZero)), size);
    }

    private static void HorizontalRow(ReadOnlySpan<byte> src, ResizeWeights h, Span<float> dst)
    {
        if (h.IsIdentity)
        {
            for (int i = 0; i < dst.Length; i++) dst[i] = src[i];
            return;
        }
        var weights = h.Weights;
        for (int x = 0; x < h.First.Length; x++)
        {
            int s = h.First[x] * 3, wi = x * h.Stride;
            float r = 0, g = 0, b = 0;
            for (int k = 0; k < h.Count[x]; k++, s += 3)
            {
                float w = weights[wi + k];
                r += src[s] * w;
                g += src[s + 1] * w;
                b += src[s + 2] * w;
            }
            dst[3 * x] = r;
            dst[3 * x + 1] = g;
            dst[3 * x + 2] = b;
        }
    }

    private static void ToBytes(ReadOnlySpan<float> src, Span<byte> dst)
    {
        for (int i = 0; i < src.Length; i++)
        {
            float v = src[i] + 0.5f;
            dst[i] = v <= 0 ? (byte)0 : v >= 255 ? (byte)255 : (byte)(int)v;
        }
    }
}
