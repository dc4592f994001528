using System.Buffers.Binary;
using System.Numerics;

namespace Graft.Data.Images.Bmp;

/// <summary>
/// Uncompressed Windows BMP: 1/4/8-bit palettes, 16/32-bit with bit fields (or the 5-5-5 / 8-8-8 defaults),
/// 24-bit, bottom-up or top-down. RLE and embedded JPEG/PNG compressions are reported as unsupported.
/// </summary>
internal static class BmpDecoder
{
    public static RgbImage Decode(ReadOnlySpan<byte> d, string name, DecodeOptions options)
    {
        if (d.Length < 26) throw new ImageDecodeException(name, DecodeError.Truncated, $"{d.Length} bytes is shorter than the BMP headers.");
        long dataOffset = BinaryPrimitives.ReadUInt32LittleEndian(d[10..]);
        int headerSize = BinaryPrimitives.ReadInt32LittleEndian(d[14..]);
        int width, height, bpp, compression = 0, colorsUsed = 0;
        int paletteEntrySize = 4;
        if (headerSize == 12)
        {
            width = BinaryPrimitives.ReadUInt16LittleEndian(d[18..]);
            height = BinaryPrimitives.ReadUInt16LittleEndian(d[20..]);
            bpp = BinaryPrimitives.ReadUInt16LittleEndian(d[24..]);
            paletteEntrySize = 3;
        }
        else if (headerSize is 40 or 52 or 56 or 64 or 108 or 124)
        {
            if (d.Length < 14 + 40) throw new ImageDecodeException(name, DecodeError.Truncated, "the BMP info header is cut off.");
            width = BinaryPrimitives.ReadInt32LittleEndian(d[18..]);
            height = BinaryPrimitives.ReadInt32LittleEndian(d[22..]);
            bpp = BinaryPrimitives.ReadUInt16LittleEndian(d[28..]);
            compression = BinaryPrimitives.ReadInt32LittleEndian(d[30..]);
            colorsUsed = BinaryPrimitives.ReadInt32LittleEndian(d[46..]);
        }
        else
        {
            throw new ImageDecodeException(name, DecodeError.Unsupported, $"BMP header of {headerSize} bytes.");
        }

        bool topDown = height < 0;
        if (height == int.MinValue || width <= 0 || height == 0)
            throw new ImageDecodeException(name, DecodeError.Corrupt, $"BMP declares {width}x{height} pixels.");
        height = Math.Abs(height);
        if ((long)width * height > options.MaxPixels)
            throw new ImageDecodeException(name, DecodeError.TooManyPixels,
                $"BMP declares {width}x{height} = {(long)width * height:N0} pixels; the limit is {options.MaxPixels:N0} (DecodeOptions.MaxPixels).");
        // 0 = BI_RGB, 3 = BI_BITFIELDS, 6 = BI_ALPHABITFIELDS; 1, 2 = RLE, 4, 5 = embedded JPEG/PNG.
        if (compression is not (0 or 3 or 6))
            throw new ImageDecodeException(name, DecodeError.Unsupported, $"BMP compression {compression} (only uncompressed and bit-field BMPs are decoded).");
        if (bpp is not (1 or 4 or 8 or 16 or 24 or 32))
            throw new ImageDecodeException(name, DecodeError.Unsupported, $"BMP with {bpp} bits per pixel.");

        uint rMask = 0, gMask = 0, bMask = 0;
        int afterHeader = 14 + headerSize;
        if (bpp is 16 or 32)
        {
            if (compression is 3 or 6)
            {
                int maskAt = headerSize == 40 ? afterHeader : 14 + 40;
                if (d.Length < maskAt + 12) throw new ImageDecodeException(name, DecodeError.Truncated, "the BMP bit masks are cut off.");
                rMask = BinaryPrimitives.ReadUInt32LittleEndian(d[maskAt..]);
                gMask = BinaryPrimitives.ReadUInt32LittleEndian(d[(maskAt + 4)..]);
                bMask = BinaryPrimitives.ReadUInt32LittleEndian(d[(maskAt + 8)..]);
                if (headerSize == 40) afterHeader += compression == 6 ? 16 : 12;
            }
            else if (bpp == 16) (rMask, gMask, bMask) = (0x7C00, 0x03E0, 0x001F);
            else (rMask, gMask, bMask) = (0xFF0000, 0xFF00, 0xFF);
        }

        byte[]? palette = null;
        if (bpp <= 8)
        {
            int count = colorsUsed > 0 && colorsUsed <= 1 << bpp ? colorsUsed : 1 << bpp;
            if (afterHeader + (long)count * paletteEntrySize > d.Length)
                throw new ImageDecodeException(name, DecodeError.Truncated, "the BMP palette is cut off.");
            palette = new byte[256 * 3];
            for (int i = 0; i < count; i++)
            {
                int at = afterHeader + i * paletteEntrySize; // stored B, G, R(, reserved)
                palette[3 * i] = d[at + 2];
                palette[3 * i + 1] = d[at + 1];
                palette[3 * i + 2] = d[at];
            }
        }

        long stride = ((long)width * bpp + 31) / 32 * 4;
        if (dataOffset < 14 || dataOffset + stride * height > d.Length)
            throw new ImageDecodeException(name, dataOffset < 14 ? DecodeError.Corrupt : DecodeError.Truncated,
                $"the pixel data needs {stride * height:N0} bytes from byte {dataOffset}; the file has {d.Length:N0}.");

        var image = new RgbImage(width, height);
        var (rs, rb) = Field(rMask);
        var (gs, gb) = Field(gMask);
        var (bs, bb) = Field(bMask);
        for (int y = 0; y < height; y++)
        {
            var src = d.Slice((int)(dataOffset + stride * (topDown ? y : height - 1 - y)), (int)stride);
            var dst = image.Row(y);
            for (int x = 0; x < width; x++)
            {
                switch (bpp)
                {
                    case 24:
                        dst[3 * x] = src[3 * x + 2];
                        dst[3 * x + 1] = src[3 * x + 1];
                        dst[3 * x + 2] = src[3 * x];
                        break;
                    case 16 or 32:
                        {
                            uint v = bpp == 16 ? BinaryPrimitives.ReadUInt16LittleEndian(src[(2 * x)..]) : BinaryPrimitives.ReadUInt32LittleEndian(src[(4 * x)..]);
                            dst[3 * x] = Scale(v, rMask, rs, rb);
                            dst[3 * x + 1] = Scale(v, gMask, gs, gb);
                            dst[3 * x + 2] = Scale(v, bMask, bs, bb);
                            break;
                        }
                    default:
                        {
                            int bit = x * bpp;
                            int i = src[bit >> 3] >> (8 - bpp - (bit & 7)) & ((1 << bpp) - 1);
                            dst[3 * x] = palette![3 * i];
                            dst[3 * x + 1] = palette[3 * i + 1];
                            dst[3 * x + 2] = palette[3 * i + 2];
                            break;
                        }
                }
            }
        }
        return image;
    }

    private static (int Shift, int Bits) Field(uint mask) =>
        mask == 0 ? (0, 0) : (BitOperations.TrailingZeroCount(mask), BitOperations.PopCount(mask));

    /// <summary>Extracts a bit field and stretches it to 0..255.</summary>
    private static byte Scale(uint v, uint mask, int shift, int bits)
    {
        if (bits == 0) return 0;
        uint f = (v & mask) >> shift;
        if (bits >= 8) return (byte)(f >> (bits - 8));
        uint max = (1u << bits) - 1;
        return (byte)((f * 255 + max / 2) / max);
    }
}
