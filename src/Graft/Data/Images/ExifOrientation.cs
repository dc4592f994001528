namespace Graft.Data.Images;

/// <summary>
/// Reads the EXIF orientation tag (0x0112 in IFD0 of a TIFF-structured Exif block) and applies it.
/// Values 1–8 as in the EXIF spec; anything unreadable counts as 1 (no change), since a broken Exif
/// block in an otherwise good image should not cost the image.
/// </summary>
public static class ExifOrientation
{
    /// <summary>Orientation from a TIFF block ("II*\0" or "MM\0*" header), i.e. an APP1 payload after "Exif\0\0".</summary>
    public static int Parse(ReadOnlySpan<byte> tiff)
    {
        if (tiff.Length < 8) return 1;
        bool little;
        if (tiff[0] == (byte)'I' && tiff[1] == (byte)'I') little = true;
        else if (tiff[0] == (byte)'M' && tiff[1] == (byte)'M') little = false;
        else return 1;
        if (U16(tiff, 2, little) != 42) return 1;
        long ifd = U32(tiff, 4, little);
        if (ifd < 8 || ifd + 2 > tiff.Length) return 1;
        int count = U16(tiff, (int)ifd, little);
        for (int i = 0; i < count; i++)
        {
            long entry = ifd + 2 + 12L * i;
            if (entry + 12 > tiff.Length) return 1;
            int e = (int)entry;
            if (U16(tiff, e, little) != 0x0112) continue;
            int type = U16(tiff, e + 2, little);
            // SHORT (3) is the spec's type; some writers use LONG (4). The value sits inline in the entry.
            int value = type == 3 ? U16(tiff, e + 8, little) : type == 4 ? (int)Math.Min(U32(tiff, e + 8, little), 9) : 1;
            return value is >= 1 and <= 8 ? value : 1;
        }
        return 1;
    }

    /// <summary>Returns the image as it should be displayed; the same instance when <paramref name="orientation"/> is 1.</summary>
    public static RgbImage Apply(RgbImage image, int orientation)
    {
        if (orientation is < 2 or > 8) return image;
        int w = image.Width, h = image.Height;
        bool swap = orientation >= 5;
        int ow = swap ? h : w, oh = swap ? w : h;
        var dst = new RgbImage(ow, oh);
        var s = image.Pixels;
        var d = dst.Pixels;
        // For each destination pixel (x, y), the source pixel it shows; the EXIF value says how the stored
        // image must be transformed for display (Pillow: 2 mirror, 3 rotate 180, 4 flip, 5 transpose,
        // 6 rotate 90° clockwise, 7 transverse, 8 rotate 90° counter-clockwise).
        for (int y = 0; y < oh; y++)
        {
            for (int x = 0; x < ow; x++)
            {
                (int sx, int sy) = orientation switch
                {
                    2 => (w - 1 - x, y),
                    3 => (w - 1 - x, h - 1 - y),
                    4 => (x, h - 1 - y),
                    5 => (y, x),
                    6 => (y, h - 1 - x),
                    7 => (w - 1 - y, h - 1 - x),
                    _ => (w - 1 - y, x),
                };
                int si = (sy * w + sx) * 3, di = (y * ow + x) * 3;
                d[di] = s[si];
                d[di + 1] = s[si + 1];
                d[di + 2] = s[si + 2];
            }
        }
        return dst;
    }

    private static int U16(ReadOnlySpan<byte> b, int at, bool little) =>
        little ? b[at] | b[at + 1] << 8 : b[at] << 8 | b[at + 1];

    private static long U32(ReadOnlySpan<byte> b, int at, bool little) =>
        little ? (uint)(b[at] | b[at + 1] << 8 | b[at + 2] << 16 | b[at + 3] << 24)
               : (uint)(b[at] << 24 | b[at + 1] << 16 | b[at + 2] << 8 | b[at + 3]);
}
