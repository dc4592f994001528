using System.Buffers.Binary;
using System.IO.Compression;

namespace Graft.Data.Images.Png;

/// <summary>
/// A managed PNG decoder (PNG spec, 3rd edition): all colour types and bit depths, palettes, Adam7 interlace.
/// Every chunk CRC and the zlib Adler-32 are checked. Ancillary chunks other than eXIf are skipped without
/// being decompressed, so text (zTXt/iTXt) and ICC bombs cost nothing; the image data is inflated into a
/// buffer of exactly the size IHDR implies and any excess is an error, which bounds memory by the pixel limit.
/// Output is RGB: 16-bit samples keep their high byte, grey is replicated, alpha and tRNS are dropped
/// (as Pillow's convert("RGB") does; 16-bit grey differs: Pillow clips it at 255, Graft scales it).
/// </summary>
internal static class PngDecoder
{
    public static RgbImage Decode(ReadOnlySpan<byte> data, string name, DecodeOptions options)
    {
        if (data.Length < 8 || !data[..8].SequenceEqual(ImageFormatDetector.PngSignature))
            throw new ImageDecodeException(name, DecodeError.UnknownFormat, "missing the PNG signature.");
        PngHeader? header = null;
        byte[]? palette = null;
        int orientation = 1;
        var idat = new List<Range>();
        long idatBytes = 0;
        bool ended = false;
        int p = 8;
        while (!ended)
        {
            if (p + 8 > data.Length)
                throw new ImageDecodeException(name, DecodeError.Truncated, $"the file ends at byte {data.Length} before the IEND chunk.");
            uint length = BinaryPrimitives.ReadUInt32BigEndian(data[p..]);
            var type = data.Slice(p + 4, 4);
            string typeName = ChunkName(type);
            if (length > int.MaxValue)
                throw new ImageDecodeException(name, DecodeError.Corrupt, $"chunk {typeName} declares {length} bytes; PNG allows at most 2^31 − 1.");
            if (length > options.MaxPngChunkBytes)
                throw new ImageDecodeException(name, DecodeError.LimitExceeded, $"chunk {typeName} is {length:N0} bytes; the limit is {options.MaxPngChunkBytes:N0} (DecodeOptions.MaxPngChunkBytes).");
            if (p + 12L + length > data.Length)
                throw new ImageDecodeException(name, DecodeError.Truncated, $"chunk {typeName} at byte {p} needs {length + 12} bytes; the file ends after {data.Length - p}.");
            var body = data.Slice(p + 8, (int)length);
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(data[(p + 8 + (int)length)..]);
            if (Checksums.Crc32(data.Slice(p + 4, (int)length + 4)) != crc)
                throw new ImageDecodeException(name, DecodeError.ChecksumMismatch, $"CRC of chunk {typeName} at byte {p} does not match.");

            if (header is null && typeName != "IHDR")
                throw new ImageDecodeException(name, DecodeError.Corrupt, $"the first chunk is {typeName}; PNG requires IHDR first.");
            switch (typeName)
            {
                case "IHDR":
                    if (header is not null) throw new ImageDecodeException(name, DecodeError.Corrupt, "a second IHDR chunk.");
                    header = ReadHeader(body, name, options);
                    break;
                case "PLTE":
                    if (length % 3 != 0 || length == 0 || length > 768)
                        throw new ImageDecodeException(name, DecodeError.Corrupt, $"PLTE has {length} bytes; expected a multiple of 3 up to 768.");
                    palette = body.ToArray();
                    break;
                case "IDAT":
                    idat.Add(new Range(p + 8, p + 8 + (int)length));
                    idatBytes += length;
                    break;
                case "IEND":
                    ended = true;
                    break;
                case "eXIf":
                    orientation = ExifOrientation.Parse(body);
                    break;
                default:
                    // Bit 5 of the first letter clear = critical: an unknown critical chunk changes the meaning of the image.
                    if ((type[0] & 0x20) == 0)
                        throw new ImageDecodeException(name, DecodeError.Unsupported, $"unknown critical chunk {typeName}.");
                    break;
            }
            p += 12 + (int)length;
        }

        var h = header!.Value;
        if (h.ColorType == 3 && palette is null)
            throw new ImageDecodeException(name, DecodeError.Corrupt, "a palette image without a PLTE chunk.");
        if (idat.Count == 0)
            throw new ImageDecodeException(name, DecodeError.Corrupt, "no IDAT chunk.");

        byte[] raw = Inflate(data, idat, idatBytes, h.RawSize(), name);
        var image = new RgbImage(h.Width, h.Height);
        Reconstruct(raw, h, palette, image, name);
        return options.ApplyExifOrientation ? ExifOrientation.Apply(image, orientation) : image;
    }

    private static PngHeader ReadHeader(ReadOnlySpan<byte> b, string name, DecodeOptions options)
    {
        if (b.Length != 13) throw new ImageDecodeException(name, DecodeError.Corrupt, $"IHDR has {b.Length} bytes; expected 13.");
        uint w = BinaryPrimitives.ReadUInt32BigEndian(b), hh = BinaryPrimitives.ReadUInt32BigEndian(b[4..]);
        int depth = b[8], color = b[9];
        if (w == 0 || hh == 0 || w > int.MaxValue || hh > int.MaxValue)
            throw new ImageDecodeException(name, DecodeError.Corrupt, $"IHDR declares {w}x{hh} pixels.");
        if ((long)w * hh > options.MaxPixels)
            throw new ImageDecodeException(name, DecodeError.TooManyPixels,
                $"IHDR declares {w}x{hh} = {(long)w * hh:N0} pixels; the limit is {options.MaxPixels:N0} (DecodeOptions.MaxPixels).");
        if (!PngHeader.IsValidCombination(color, depth))
            throw new ImageDecodeException(name, DecodeError.Corrupt, $"colour type {color} with bit depth {depth} is not a PNG combination.");
        if (b[10] != 0 || b[11] != 0 || b[12] > 1)
            throw new ImageDecodeException(name, DecodeError.Corrupt, $"compression {b[10]}, filter {b[11]}, interlace {b[12]}: expected 0, 0, 0 or 1.");
        return new PngHeader((int)w, (int)hh, depth, color, b[12] == 1);
    }

    /// <summary>Inflates the concatenated IDAT data into exactly <paramref name="expected"/> bytes.</summary>
    private static byte[] Inflate(ReadOnlySpan<byte> data, List<Range> idat, long idatBytes, long expected, string name)
    {
        if (expected > Array.MaxLength)
            throw new ImageDecodeException(name, DecodeError.LimitExceeded, $"the image data would inflate to {expected:N0} bytes.");
        var z = new byte[idatBytes];
        int at = 0;
        foreach (var r in idat)
        {
            data[r].CopyTo(z.AsSpan(at));
            at += data[r].Length;
        }
        if (z.Length < 6)
            throw new ImageDecodeException(name, DecodeError.Truncated, "the zlib stream is shorter than its header and checksum.");
        // zlib header (RFC 1950): deflate with a window of at most 32 KiB, header check, no preset dictionary.
        if ((z[0] & 0x0F) != 8 || z[0] >> 4 > 7 || (z[0] << 8 | z[1]) % 31 != 0 || (z[1] & 0x20) != 0)
            throw new ImageDecodeException(name, DecodeError.Corrupt, $"bad zlib header {z[0]:X2} {z[1]:X2}.");

        var raw = new byte[expected];
        int got = 0;
        try
        {
            using var inflater = new DeflateStream(new MemoryStream(z, 2, z.Length - 2, writable: false), CompressionMode.Decompress);
            while (got < raw.Length)
            {
                int n = inflater.Read(raw, got, raw.Length - got);
                if (n == 0) break;
                got += n;
            }
            if (got < raw.Length)
                throw new ImageDecodeException(name, DecodeError.Truncated, $"the image data inflates to {got:N0} bytes; IHDR implies {expected:N0}.");
            // The bound: one byte more than IHDR implies is already an error, so a bomb never inflates further.
            Span<byte> probe = stackalloc byte[1];
            if (inflater.Read(probe) != 0)
                throw new ImageDecodeException(name, DecodeError.LimitExceeded, $"the image data inflates to more than the {expected:N0} bytes IHDR implies.");
        }
        catch (InvalidDataException e)
        {
            throw new ImageDecodeException(name, got < raw.Length ? DecodeError.Corrupt : DecodeError.ChecksumMismatch, $"invalid deflate data: {e.Message}", e);
        }
        uint adler = BinaryPrimitives.ReadUInt32BigEndian(z.AsSpan(z.Length - 4));
        if (Checksums.Adler32(raw) != adler)
            throw new ImageDecodeException(name, DecodeError.ChecksumMismatch, "the zlib Adler-32 of the image data does not match.");
        return raw;
    }

    private static void Reconstruct(byte[] raw, PngHeader h, byte[]? palette, RgbImage image, string name)
    {
        int bpp = h.FilterStride;
        int offset = 0;
        var rgbRow = new byte[h.Width * 3];
        for (int pass = 0; pass < (h.Interlaced ? 7 : 1); pass++)
        {
            var (pw, ph) = h.Interlaced ? Adam7.PassSize(pass, h.Width, h.Height) : (h.Width, h.Height);
            if (pw == 0) continue;
            int rowBytes = (int)h.RowBytes(pw);
            var zero = new byte[rowBytes];
            for (int y = 0; y < ph; y++)
            {
                int filter = raw[offset];
                var row = raw.AsSpan(offset + 1, rowBytes);
                ReadOnlySpan<byte> previous = y == 0 ? zero : raw.AsSpan(offset - rowBytes, rowBytes);
                if (!PngFilters.Unfilter(filter, row, previous, bpp))
                    throw new ImageDecodeException(name, DecodeError.Corrupt, $"unknown filter type {filter} on row {y}{(h.Interlaced ? $" of pass {pass + 1}" : "")}.");
                offset += 1 + rowBytes;
                if (!h.Interlaced)
                {
                    ToRgb(row, pw, h, palette, image.Row(y));
                    continue;
                }
                ToRgb(row, pw, h, palette, rgbRow);
                var dst = image.Row(Adam7.StartY[pass] + y * Adam7.StepY[pass]);
                int step = Adam7.StepX[pass] * 3;
                for (int x = 0, d = Adam7.StartX[pass] * 3; x < pw; x++, d += step)
                {
                    dst[d] = rgbRow[3 * x];
                    dst[d + 1] = rgbRow[3 * x + 1];
                    dst[d + 2] = rgbRow[3 * x + 2];
                }
            }
        }
    }

    /// <summary>Converts one unfiltered row of <paramref name="width"/> pixels to RGB.</summary>
    private static void ToRgb(ReadOnlySpan<byte> row, int width, PngHeader h, byte[]? palette, Span<byte> rgb)
    {
        int depth = h.BitDepth;
        int bytesPerSample = depth == 16 ? 2 : 1;
        switch (h.ColorType)
        {
            case 0 when depth < 8:
                {
                    int scale = depth == 1 ? 255 : depth == 2 ? 85 : 17; // maps the top code to 255
                    for (int x = 0; x < width; x++)
                    {
                        byte v = (byte)(Packed(row, x, depth) * scale);
                        rgb[3 * x] = rgb[3 * x + 1] = rgb[3 * x + 2] = v;
                    }
                    break;
                }
            case 3:
                {
                    int entries = palette!.Length / 3;
                    for (int x = 0; x < width; x++)
                    {
                        int i = depth == 8 ? row[x] : Packed(row, x, depth);
                        if (i < entries)
                        {
                            rgb[3 * x] = palette[3 * i];
                            rgb[3 * x + 1] = palette[3 * i + 1];
                            rgb[3 * x + 2] = palette[3 * i + 2];
                        }
                        else
                        {
                            // An index past the palette: libpng treats it as black too.
                            rgb[3 * x] = rgb[3 * x + 1] = rgb[3 * x + 2] = 0;
                        }
                    }
                    break;
                }
            case 0 or 4:
                {
                    int stride = h.Channels * bytesPerSample;
                    for (int x = 0; x < width; x++)
                    {
                        byte v = row[x * stride]; // the high byte when 16-bit
                        rgb[3 * x] = rgb[3 * x + 1] = rgb[3 * x + 2] = v;
                    }
                    break;
                }
            default: // 2 (RGB) or 6 (RGBA)
                {
                    int stride = h.Channels * bytesPerSample;
                    for (int x = 0; x < width; x++)
                    {
                        int s = x * stride;
                        rgb[3 * x] = row[s];
                        rgb[3 * x + 1] = row[s + bytesPerSample];
                        rgb[3 * x + 2] = row[s + 2 * bytesPerSample];
                    }
                    break;
                }
        }
    }

    /// <summary>Sample <paramref name="x"/> of a row packed at 1, 2 or 4 bits, most significant bits first.</summary>
    private static int Packed(ReadOnlySpan<byte> row, int x, int depth)
    {
        int bit = x * depth;
        return row[bit >> 3] >> (8 - depth - (bit & 7)) & ((1 << depth) - 1);
    }

    private static string ChunkName(ReadOnlySpan<byte> type)
    {
        Span<char> c = stackalloc char[4];
        for (int i = 0; i < 4; i++) c[i] = type[i] is >= 0x20 and < 0x7F ? (char)type[i] : '?';
        return new string(c);
    }
}
