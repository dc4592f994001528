using System.Buffers.Binary;

namespace Graft.Data.Images.Gif;

/// <summary>
/// The first frame of a GIF87a/89a file, drawn on the logical screen. Areas the frame does not cover are black;
/// transparency is ignored (the transparent index shows its palette colour), matching "alpha dropped".
/// </summary>
internal static class GifDecoder
{
    public static RgbImage Decode(ReadOnlySpan<byte> d, string name, DecodeOptions options)
    {
        if (d.Length < 13) throw new ImageDecodeException(name, DecodeError.Truncated, "the GIF screen descriptor is cut off.");
        int screenW = BinaryPrimitives.ReadUInt16LittleEndian(d[6..]), screenH = BinaryPrimitives.ReadUInt16LittleEndian(d[8..]);
        byte flags = d[10];
        int p = 13;
        byte[]? global = null;
        if ((flags & 0x80) != 0)
        {
            int size = 3 << ((flags & 7) + 1);
            if (p + size > d.Length) throw new ImageDecodeException(name, DecodeError.Truncated, "the global colour table is cut off.");
            global = d.Slice(p, size).ToArray();
            p += size;
        }
        while (true)
        {
            if (p >= d.Length) throw new ImageDecodeException(name, DecodeError.Truncated, "the file ends before the first image.");
            byte block = d[p++];
            if (block == 0x3B) throw new ImageDecodeException(name, DecodeError.Corrupt, "a GIF without any image.");
            if (block == 0x21)
            {
                if (p >= d.Length) throw new ImageDecodeException(name, DecodeError.Truncated, "an extension block is cut off.");
                p = SkipSubBlocks(d, p + 1, name);
                continue;
            }
            if (block != 0x2C) throw new ImageDecodeException(name, DecodeError.Corrupt, $"unexpected block 0x{block:X2} at byte {p - 1}.");
            return DecodeFrame(d, p, screenW, screenH, global, name, options);
        }
    }

    private static RgbImage DecodeFrame(ReadOnlySpan<byte> d, int p, int screenW, int screenH, byte[]? global, string name, DecodeOptions options)
    {
        if (p + 9 > d.Length) throw new ImageDecodeException(name, DecodeError.Truncated, "the image descriptor is cut off.");
        int left = BinaryPrimitives.ReadUInt16LittleEndian(d[p..]), top = BinaryPrimitives.ReadUInt16LittleEndian(d[(p + 2)..]);
        int w = BinaryPrimitives.ReadUInt16LittleEndian(d[(p + 4)..]), h = BinaryPrimitives.ReadUInt16LittleEndian(d[(p + 6)..]);
        byte flags = d[p + 8];
        p += 9;
        // A screen smaller than its first frame (or of size 0) is common in the wild; show the whole frame.
        screenW = Math.Max(screenW, left + w);
        screenH = Math.Max(screenH, top + h);
        if (w == 0 || h == 0) throw new ImageDecodeException(name, DecodeError.Corrupt, $"the first frame is {w}x{h} pixels.");
        if ((long)screenW * screenH > options.MaxPixels)
            throw new ImageDecodeException(name, DecodeError.TooManyPixels, $"{screenW}x{screenH} pixels; the limit is {options.MaxPixels:N0} (DecodeOptions.MaxPixels).");
        byte[]? table = global;
        if ((flags & 0x80) != 0)
        {
            int size = 3 << ((flags & 7) + 1);
            if (p + size > d.Length) throw new ImageDecodeException(name, DecodeError.Truncated, "the local colour table is cut off.");
            table = d.Slice(p, size).ToArray();
            p += size;
        }
        if (table is null) throw new ImageDecodeException(name, DecodeError.Corrupt, "no colour table for the first frame.");
        if (p >= d.Length) throw new ImageDecodeException(name, DecodeError.Truncated, "the image data is cut off.");
        int minCodeSize = d[p++];
        if (minCodeSize is < 2 or > 8) throw new ImageDecodeException(name, DecodeError.Corrupt, $"LZW minimum code size {minCodeSize}.");

        var indices = new byte[w * h];
        int decoded = GifLzw.Decode(d, p, minCodeSize, indices, out bool dataEnded);
        if (decoded < indices.Length && !dataEnded)
            throw new ImageDecodeException(name, DecodeError.Corrupt, $"the LZW data holds {decoded:N0} of {indices.Length:N0} pixels.");
        if (decoded < indices.Length)
            throw new ImageDecodeException(name, DecodeError.Truncated, $"the file ends after {decoded:N0} of {indices.Length:N0} pixels.");

        bool interlaced = (flags & 0x40) != 0;
        var image = new RgbImage(screenW, screenH);
        int entries = table.Length / 3;
        for (int row = 0; row < h; row++)
        {
            int y = top + (interlaced ? InterlacedRow(row, h) : row);
            var dst = image.Row(y);
            for (int x = 0; x < w; x++)
            {
                int i = indices[row * w + x];
                if (i >= entries) continue;
                int o = (left + x) * 3;
                dst[o] = table[3 * i];
                dst[o + 1] = table[3 * i + 1];
                dst[o + 2] = table[3 * i + 2];
            }
        }
        return image;
    }

    /// <summary>Maps the n-th stored row of an interlaced frame to its display row (passes every 8th from 0, every 8th from 4, every 4th from 2, every 2nd from 1).</summary>
    private static int InterlacedRow(int n, int h)
    {
        int pass1 = (h + 7) / 8, pass2 = (h + 3) / 8, pass3 = (h + 1) / 4;
        if (n < pass1) return n * 8;
        n -= pass1;
        if (n < pass2) return 4 + n * 8;
        n -= pass2;
        if (n < pass3) return 2 + n * 4;
        return 1 + (n - pass3) * 2;
    }

    private static int SkipSubBlocks(ReadOnlySpan<byte> d, int p, string name)
    {
        while (true)
        {
            if (p >= d.Length) throw new ImageDecodeException(name, DecodeError.Truncated, "a data sub-block is cut off.");
            int n = d[p];
            p += 1 + n;
            if (n == 0) return p;
        }
    }
}
