using System.Buffers.Binary;
using System.IO.Compression;
using Graft.Data.Images.Png;

namespace Graft.Reporting;

/// <summary>
/// Writes 8-bit grey or RGB PNG files (no filtering: small images for reports and samples, where size
/// matters less than having no dependency).
/// </summary>
public static class PngWriter
{
    /// <param name="pixels">Row-major samples, <paramref name="channels"/> (1 = grey, 3 = RGB) per pixel.</param>
    public static byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height, int channels)
    {
        if (channels is not (1 or 3)) throw new ArgumentException($"PNG writer takes 1 (grey) or 3 (RGB) channels. Received: {channels}.");
        if (width <= 0 || height <= 0 || pixels.Length != width * height * channels)
            throw new ArgumentException($"Expected {width}×{height}×{channels} samples. Received: {pixels.Length}.");
        using var output = new MemoryStream();
        output.Write(stackalloc byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A });
        Span<byte> ihdr = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr[4..], height);
        ihdr[8] = 8;                                 // bit depth
        ihdr[9] = (byte)(channels == 1 ? 0 : 2);     // colour type: grey or truecolour
        WriteChunk(output, "IHDR", ihdr);
        using (var raw = new MemoryStream())
        {
            using (var z = new ZLibStream(raw, CompressionLevel.Optimal, leaveOpen: true))
            {
                int stride = width * channels;
                for (int y = 0; y < height; y++)
                {
                    z.WriteByte(0); // filter type None
                    z.Write(pixels.Slice(y * stride, stride));
                }
            }
            WriteChunk(output, "IDAT", raw.ToArray());
        }
        WriteChunk(output, "IEND", ReadOnlySpan<byte>.Empty);
        return output.ToArray();
    }

    private static void WriteChunk(Stream s, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteInt32BigEndian(header, data.Length);
        for (int i = 0; i < 4; i++) header[4 + i] = (byte)type[i];
        s.Write(header);
        s.Write(data);
        // The CRC covers the chunk type and data together.
        var typed = new byte[4 + data.Length];
        header[4..].CopyTo(typed);
        data.CopyTo(typed.AsSpan(4));
        uint crc = Checksums.Crc32(typed);
        Span<byte> c = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(c, crc);
        s.Write(c);
    }
}
