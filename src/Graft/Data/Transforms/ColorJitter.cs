using Graft.Data.Images;

namespace Graft.Data.Transforms;

public static class ColorJitter
{
    /// <summary>
    /// Brightness then contrast, as torchvision's ColorJitter: v·b, then (v − m)·c + m with m the mean luma of the
    /// brightened image. Both are per-image affine maps of the value, so one 256-entry table does the whole image.
    /// </summary>
    public static void ApplyInPlace(RgbImage image, double brightness, double contrast)
    {
        if (brightness == 1 && contrast == 1) return;
        var px = image.Span;
        long luma = 0;
        for (int i = 0; i < px.Length; i += 3) luma += 299 * px[i] + 587 * px[i + 1] + 114 * px[i + 2];
        double mean = luma / 1000.0 / (px.Length / 3) * brightness;
        Span<byte> table = stackalloc byte[256];
        for (int v = 0; v < 256; v++)
        {
            double b = Math.Min(v * brightness, 255);
            table[v] = (byte)Math.Clamp(Math.Round((b - mean) * contrast + mean, MidpointRounding.AwayFromZero), 0, 255);
        }
        for (int i = 0; i < px.Length; i++) px[i] = table[px[i]];
    }
}
