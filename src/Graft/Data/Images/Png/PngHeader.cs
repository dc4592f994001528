namespace Graft.Data.Images.Png;

/// <summary>The IHDR fields Graft needs, with the per-row sizes derived from them.</summary>
internal readonly record struct PngHeader(int Width, int Height, int BitDepth, int ColorType, bool Interlaced)
{
    public int Channels => ColorType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, _ => 4 };
    public int BitsPerPixel => Channels * BitDepth;

    /// <summary>Filter unit in bytes: bytes per complete pixel, at least 1.</summary>
    public int FilterStride => Math.Max(1, BitsPerPixel / 8);

    public long RowBytes(int width) => ((long)width * BitsPerPixel + 7) / 8;

    /// <summary>Size of the decompressed, still filtered data: every (pass) row plus its filter-type byte.</summary>
    public long RawSize()
    {
        if (!Interlaced) return Height * (1 + RowBytes(Width));
        long total = 0;
        for (int p = 0; p < 7; p++)
        {
            var (w, h) = Adam7.PassSize(p, Width, Height);
            if (w > 0) total += h * (1 + RowBytes(w));
        }
        return total;
    }

    public static bool IsValidCombination(int colorType, int bitDepth) => colorType switch
    {
        0 => bitDepth is 1 or 2 or 4 or 8 or 16,
        3 => bitDepth is 1 or 2 or 4 or 8,
        2 or 4 or 6 => bitDepth is 8 or 16,
        _ => false,
    };
}
