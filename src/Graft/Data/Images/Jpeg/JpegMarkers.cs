namespace Graft.Data.Images.Jpeg;

/// <summary>Walks the marker segments before the first scan to find the Exif APP1 block, which TurboJPEG ignores.</summary>
internal static class JpegMarkers
{
    /// <summary>The EXIF orientation (1–8), or 1 when there is no readable Exif block.</summary>
    public static int ReadOrientation(ReadOnlySpan<byte> jpeg)
    {
        int p = 2; // after SOI
        while (p + 4 <= jpeg.Length)
        {
            if (jpeg[p] != 0xFF) return 1;
            byte marker = jpeg[p + 1];
            if (marker == 0xFF) { p++; continue; } // fill byte
            if (marker == 0xDA || marker == 0xD9) return 1; // start of scan / end of image: no Exif before the data
            if (marker is >= 0xD0 and <= 0xD7 or 0x01) { p += 2; continue; } // markers without a length
            int length = jpeg[p + 2] << 8 | jpeg[p + 3];
            if (length < 2 || p + 2 + length > jpeg.Length) return 1;
            var payload = jpeg.Slice(p + 4, length - 2);
            if (marker == 0xE1 && payload.Length > 6 && payload[..6].SequenceEqual("Exif\0\0"u8))
                return ExifOrientation.Parse(payload[6..]);
            p += 2 + length;
        }
        return 1;
    }
}
