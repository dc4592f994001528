namespace Graft.Data.Images.Png;

/// <summary>Reverses the five PNG scanline filters in place (PNG spec §9).</summary>
internal static class PngFilters
{
    /// <returns>false for an unknown filter type.</returns>
    public static bool Unfilter(int type, Span<byte> row, ReadOnlySpan<byte> previous, int bpp)
    {
        switch (type)
        {
            case 0:
                return true;
            case 1: // Sub
                for (int i = bpp; i < row.Length; i++) row[i] += row[i - bpp];
                return true;
            case 2: // Up
                for (int i = 0; i < row.Length; i++) row[i] += previous[i];
                return true;
            case 3: // Average
                for (int i = 0; i < bpp; i++) row[i] += (byte)(previous[i] >> 1);
                for (int i = bpp; i < row.Length; i++) row[i] += (byte)((row[i - bpp] + previous[i]) >> 1);
                return true;
            case 4: // Paeth
                for (int i = 0; i < bpp; i++) row[i] += previous[i];
                for (int i = bpp; i < row.Length; i++) row[i] += Paeth(row[i - bpp], previous[i], previous[i - bpp]);
                return true;
            default:
                return false;
        }
    }

    private static byte Paeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return (byte)(pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
    }
}
