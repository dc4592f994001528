using Graft.Data.Images;

namespace Graft.Data.Transforms;

/// <summary>Integer crops: a region, a centred region, the largest centred region of an aspect ratio.</summary>
public static class Crop
{
    public static RgbImage Region(RgbImage source, int x, int y, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (x < 0 || y < 0 || width <= 0 || height <= 0 || x + width > source.Width || y + height > source.Height)
            throw new ArgumentException($"Crop ({x}, {y}, {width}x{height}) must lie within the {source.Width}x{source.Height} image.");
        if (x == 0 && y == 0 && width == source.Width && height == source.Height) return source;
        var dst = new RgbImage(width, height);
        for (int r = 0; r < height; r++)
            source.Pixels.AsSpan(((y + r) * source.Width + x) * 3, width * 3).CopyTo(dst.Row(r));
        return dst;
    }

    /// <summary>The centred width x height region (offsets rounded as torchvision's CenterCrop).</summary>
    public static RgbImage Center(RgbImage source, int width, int height)
    {
        var (x, y) = CenterOffset(source.Width, source.Height, width, height);
        return Region(source, x, y, width, height);
    }

    public static (int X, int Y) CenterOffset(int sourceWidth, int sourceHeight, int width, int height) =>
        ((int)Math.Round((sourceWidth - width) / 2.0, MidpointRounding.ToEven), (int)Math.Round((sourceHeight - height) / 2.0, MidpointRounding.ToEven));

    /// <summary>The largest centred box of <paramref name="aspect"/> = width / height (Keras crop_to_aspect_ratio).</summary>
    public static CropBox ToAspectRatioBox(int width, int height, double aspect)
    {
        if (!(aspect > 0)) throw new ArgumentException($"Aspect ratio must be positive. Received: {aspect}.");
        int w = Math.Min(width, (int)Math.Round(height * aspect)), h = Math.Min(height, (int)Math.Round(width / aspect));
        w = Math.Max(1, w);
        h = Math.Max(1, h);
        var (x, y) = CenterOffset(width, height, w, h);
        return new CropBox(x, y, x + w, y + h);
    }

    public static RgbImage ToAspectRatio(RgbImage source, double aspect)
    {
        var b = ToAspectRatioBox(source.Width, source.Height, aspect);
        return Region(source, (int)b.X0, (int)b.Y0, (int)b.Width, (int)b.Height);
    }
}
