using Graft.Data.Images;

namespace Graft.Data.Transforms;

public static class Rotation
{
    /// <summary>
    /// Rotates about the centre by <paramref name="degrees"/> (counter-clockwise, as Pillow's rotate), same size,
    /// bilinear. Corners that fall outside the source repeat the nearest edge pixel rather than turning black,
    /// so small training rotations add no artificial borders.
    /// </summary>
    public static RgbImage Rotate(RgbImage source, double degrees)
    {
        int w = source.Width, h = source.Height;
        var dst = new RgbImage(w, h);
        double a = degrees * Math.PI / 180, cos = Math.Cos(a), sin = Math.Sin(a);
        double cx = w / 2.0, cy = h / 2.0;
        var s = source.Pixels;
        for (int y = 0; y < h; y++)
        {
            var row = dst.Row(y);
            double dy = y + 0.5 - cy;
            for (int x = 0; x < w; x++)
            {
                double dx = x + 0.5 - cx;
                // Inverse map: the source point that lands here (image y grows downwards, hence the signs).
                double sx = cos * dx - sin * dy + cx - 0.5, sy = sin * dx + cos * dy + cy - 0.5;
                sx = Math.Clamp(sx, 0, w - 1);
                sy = Math.Clamp(sy, 0, h - 1);
                int x0 = (int)sx, y0 = (int)sy;
                int x1 = Math.Min(x0 + 1, w - 1), y1 = Math.Min(y0 + 1, h - 1);
                float fx = (float)(sx - x0), fy = (float)(sy - y0);
                int i00 = (y0 * w + x0) * 3, i01 = (y0 * w + x1) * 3, i10 = (y1 * w + x0) * 3, i11 = (y1 * w + x1) * 3;
                for (int c = 0; c < 3; c++)
                {
                    float top = s[i00 + c] + (s[i01 + c] - s[i00 + c]) * fx;
                    float bottom = s[i10 + c] + (s[i11 + c] - s[i10 + c]) * fx;
                    row[3 * x + c] = (byte)(top + (bottom - top) * fy + 0.5f);
                }
            }
        }
        return dst;
    }
}
