using System.Buffers.Binary;
using System.IO.Compression;
using Graft.Data.Images.Png;

namespace Graft.Tests.Data.Support;

/// <summary>Writes PNG files chunk by chunk, including deliberately broken ones, for decoder tests.</summary>
public sealed class PngBuilder
{
    private readonly MemoryStream _out = new();

    public PngBuilder(bool signature = true)
    {
        if (signature) _out.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
    }

    public PngBuilder Chunk(string type, ReadOnlySpan<byte> data, bool badCrc = false, uint? declaredLength = null)
    {
        Span<byte> head = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(head, declaredLength ?? (uint)data.Length);
        for (int i = 0; i < 4; i++) head[4 + i] = (byte)type[i];
        _out.Write(head);
        _out.Write(data);
        var crcInput = new byte[4 + data.Length];
        head[4..].CopyTo(crcInput);
        data.CopyTo(crcInput.AsSpan(4));
        uint crc = Checksums.Crc32(crcInput) ^ (badCrc ? 1u : 0u);
        Span<byte> tail = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(tail, crc);
        _out.Write(tail);
        return this;
    }

    public PngBuilder Header(uint width, uint height, byte depth = 8, byte colorType = 2, byte interlace = 0)
    {
        var b = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(b, width);
        BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(4), height);
        b[8] = depth;
        b[9] = colorType;
        b[12] = interlace;
        return Chunk("IHDR", b);
    }

    /// <summary>An IDAT holding <paramref name="raw"/> (filter bytes included) zlib-compressed.</summary>
    public PngBuilder Data(ReadOnlySpan<byte> raw, bool badAdler = false) => Chunk("IDAT", Zlib(raw, badAdler));

    public PngBuilder End() => Chunk("IEND", []);

    public byte[] ToArray() => _out.ToArray();

    public static byte[] Zlib(ReadOnlySpan<byte> raw, bool badAdler = false)
    {
        var ms = new MemoryStream();
        using (var z = new ZLibStream(ms, CompressionLevel.Optimal, leaveOpen: true)) z.Write(raw);
        var bytes = ms.ToArray();
        if (badAdler) bytes[^1] ^= 0x55;
        return bytes;
    }

    /// <summary>Raw scanlines (filter type 0) for an 8-bit RGB image filled by <paramref name="pixel"/>.</summary>
    public static byte[] RgbScanlines(int width, int height, Func<int, int, (byte R, byte G, byte B)> pixel)
    {
        var raw = new byte[height * (1 + 3 * width)];
        for (int y = 0, o = 0; y < height; y++)
        {
            raw[o++] = 0;
            for (int x = 0; x < width; x++)
            {
                var (r, g, b) = pixel(x, y);
                raw[o++] = r; raw[o++] = g; raw[o++] = b;
            }
        }
        return raw;
    }

    /// <summary>A valid w x h RGB PNG with a simple gradient.</summary>
    public static byte[] Valid(int width, int height) =>
        new PngBuilder().Header((uint)width, (uint)height).Data(RgbScanlines(width, height, (x, y) => ((byte)(x * 7), (byte)(y * 5), 99))).End().ToArray();
}
