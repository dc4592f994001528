namespace Graft.Data.Images.Jpeg;

/// <summary>
/// Walks the marker segments up to the first scan, for what TurboJPEG does not tell or tells too late:
/// the Exif orientation (APP1), the frame size before libjpeg sees it (it rejects sides over 65,500 with a
/// generic error, and we want the pixel-limit reason), and whether the headers are complete.
/// </summary>
internal static class JpegMarkers
{
    public readonly record struct Summary(int Orientation, int Width, int Height, bool HeadersComplete);

    public static Summary Scan(ReadOnlySpan<byte> jpeg)
    {
        int orientation = 1, width = 0, height = 0;
        int p = 2; // after SOI
        while (p + 4 <= jpeg.Length)
        {
            if (jpeg[p] != 0xFF) return new(orientation, width, height, true); // malformed, not short
            byte marker = jpeg[p + 1];
            if (marker == 0xFF) { p++; continue; } // fill byte
            if (marker is >= 0xD0 and <= 0xD7 or 0x01) { p += 2; continue; } // markers without a length
            if (marker == 0xD9 || marker < 0xC0) return new(orientation, width, height, true);
            int length = jpeg[p + 2] << 8 | jpeg[p + 3];
            if (p + 2 + length > jpeg.Length) return new(orientation, width, height, false);
            var payload = jpeg.Slice(p + 4, Math.Max(0, length - 2));
            // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC): precision, height, width.
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC && payload.Length >= 5)
            {
                height = payload[1] << 8 | payload[2];
                width = payload[3] << 8 | payload[4];
            }
            else if (marker == 0xE1 && payload.Length > 6 && payload[..6].SequenceEqual("Exif\0\0"u8) && orientation == 1)
            {
                orientation = ExifOrientation.Parse(payload[6..]);
            }
            if (marker == 0xDA) return new(orientation, width, height, true);
            p += 2 + length;
        }
        return new(orientation, width, height, false);
    }

    /// <summary>True when the data ends in the EOI marker (zero padding after it allowed).</summary>
    public static bool EndsWithEoi(ReadOnlySpan<byte> jpeg)
    {
        var t = jpeg.TrimEnd((byte)0);
        return t.Length >= 4 && t[^2] == 0xFF && t[^1] == 0xD9;
    }
}
