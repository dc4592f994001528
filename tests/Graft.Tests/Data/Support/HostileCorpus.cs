using System.Buffers.Binary;
using Graft.Data.Images;

namespace Graft.Tests.Data.Support;

/// <summary>
/// Hostile and unusual image files, built at run time into one temporary folder: truncations at several points,
/// wrong magic, absurd declared sizes, bombs, bad checksums, formats under the wrong extension, and the
/// committed oddities (CMYK, progressive, 16-bit, interlaced, EXIF 1–8). Each entry says what must happen:
/// a decode to a given size, or a refusal with a given <see cref="DecodeError"/>.
/// </summary>
public sealed class HostileCorpus : IDisposable
{
    public sealed record Case(string FileName, DecodeError? Error, int Width = 0, int Height = 0)
    {
        public bool Decodes => Error is null;
        public override string ToString() => FileName;
    }

    private static readonly Lazy<HostileCorpus> s_shared = new(() => new HostileCorpus());
    public static HostileCorpus Shared => s_shared.Value;

    public string Folder { get; }
    public IReadOnlyList<Case> Cases { get; }

    private HostileCorpus()
    {
        Folder = Path.Combine(Path.GetTempPath(), "graft-hostile-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Folder);
        var cases = new List<Case>();
        void Add(string name, byte[] bytes, DecodeError? error, int w = 0, int h = 0)
        {
            File.WriteAllBytes(Path.Combine(Folder, name), bytes);
            cases.Add(new Case(name, error, w, h));
        }

        // --- JPEG
        var jpeg = PillowFixtures.Bytes("baseline_420.jpg"); // 96x64
        int sos = IndexOfMarker(jpeg, 0xDA);
        Add("jpeg_ok.jpg", jpeg, null, 96, 64);
        Add("jpeg_trunc_2.jpg", jpeg[..2], DecodeError.Truncated);
        Add("jpeg_trunc_in_headers.jpg", jpeg[..(sos / 2)], DecodeError.Truncated);
        Add("jpeg_trunc_at_sos.jpg", jpeg[..(sos + 4)], DecodeError.Truncated);
        Add("jpeg_trunc_25pct_data.jpg", jpeg[..(sos + (jpeg.Length - sos) / 4)], DecodeError.Truncated);
        Add("jpeg_trunc_50pct_data.jpg", jpeg[..(sos + (jpeg.Length - sos) / 2)], DecodeError.Truncated);
        Add("jpeg_trunc_90pct_data.jpg", jpeg[..(sos + (jpeg.Length - sos) * 9 / 10)], DecodeError.Truncated);
        var progressive = PillowFixtures.Bytes("progressive.jpg");
        Add("jpeg_progressive.jpg", progressive, null, 96, 64);
        Add("jpeg_progressive_trunc_60pct.jpg", progressive[..(progressive.Length * 6 / 10)], DecodeError.Truncated);
        Add("jpeg_declared_65535x65535_progressive.jpg", WithJpegSize(progressive, 65_535, 65_535), DecodeError.TooManyPixels);
        Add("jpeg_20000x20000.jpg", WithJpegSize(jpeg, 20_000, 20_000), DecodeError.TooManyPixels); // under libjpeg's 65,500 side limit
        Add("jpeg_zero_height_dnl.jpg", WithJpegSize(jpeg, 96, 0), DecodeError.Unsupported); // height defined by a DNL marker: valid JPEG, not implemented by libjpeg-turbo
        Add("jpeg_wrong_magic.jpg", [0xFF, 0xD8, 0xFF, .. "garbage that is not a marker stream at all"u8], DecodeError.Corrupt);
        var garbled = (byte[])jpeg.Clone();
        for (int i = sos + 40; i < garbled.Length - 2; i += 3) garbled[i] = 0xFF; // marker-like noise in the entropy data
        Add("jpeg_garbled_data.jpg", garbled, DecodeError.Corrupt);
        Add("jpeg_cmyk.jpg", PillowFixtures.Bytes("cmyk.jpg"), null, 96, 64);
        Add("jpeg_grey.jpg", PillowFixtures.Bytes("grey.jpg"), null, 96, 64);
        Add("jpeg_1x1.jpg", PillowFixtures.Bytes("one_pixel.jpg"), null, 1, 1);
        for (int k = 1; k <= 8; k++)
            Add($"jpeg_exif_{k}.jpg", PillowFixtures.Bytes($"exif_{k}.jpg"), null, k >= 5 ? 16 : 24, k >= 5 ? 24 : 16);
        Add("jpeg_exif_bad_ifd_offset.jpg", WithBrokenExif(PillowFixtures.Bytes("exif_6.jpg")), null, 24, 16);

        // --- PNG
        Add("png_ok.png", PngBuilder.Valid(5, 4), null, 5, 4);
        Add("png_1x1.png", PngBuilder.Valid(1, 1), null, 1, 1);
        var png = PillowFixtures.Bytes("photo.png");
        Add("png_trunc_signature.png", png[..5], DecodeError.UnknownFormat);
        Add("png_trunc_ihdr.png", png[..20], DecodeError.Truncated);
        Add("png_trunc_half.png", png[..(png.Length / 2)], DecodeError.Truncated);
        Add("png_no_iend.png", png[..(png.Length - 12)], DecodeError.Truncated);
        Add("png_100000x100000.png", new PngBuilder().Header(100_000, 100_000).Data(new byte[10]).End().ToArray(), DecodeError.TooManyPixels);
        Add("png_0x0.png", new PngBuilder().Header(0, 0).End().ToArray(), DecodeError.Corrupt);
        Add("png_bad_crc.png", new PngBuilder().Header(2, 2).Chunk("IDAT", PngBuilder.Zlib(PngBuilder.RgbScanlines(2, 2, (_, _) => (1, 2, 3))), badCrc: true).End().ToArray(), DecodeError.ChecksumMismatch);
        Add("png_bad_adler.png", new PngBuilder().Header(3, 3).Data(PngBuilder.RgbScanlines(3, 3, (x, y) => ((byte)x, (byte)y, 0)), badAdler: true).End().ToArray(), DecodeError.ChecksumMismatch);
        Add("png_bad_filter.png", new PngBuilder().Header(2, 1).Data([9, 1, 2, 3, 4, 5, 6]).End().ToArray(), DecodeError.Corrupt);
        Add("png_short_data.png", new PngBuilder().Header(4, 4).Data(PngBuilder.RgbScanlines(4, 2, (_, _) => (1, 1, 1))).End().ToArray(), DecodeError.Truncated);
        // 64 MiB of zeros behind a 1x1 header: inflating it all would be the bomb; the decoder stops at 4 bytes + 1.
        Add("png_idat_bomb.png", new PngBuilder().Header(1, 1).Data(new byte[64 << 20]).End().ToArray(), DecodeError.LimitExceeded);
        // 8 zTXt chunks each inflating to 32 MiB: never decompressed, so the image decodes.
        var bomb = new PngBuilder().Header(2, 2);
        var text = PngBuilder.Zlib(new byte[32 << 20]);
        for (int i = 0; i < 8; i++) bomb.Chunk("zTXt", [.. "Comment"u8, 0, 0, .. text]);
        Add("png_text_bomb.png", bomb.Data(PngBuilder.RgbScanlines(2, 2, (_, _) => (7, 8, 9))).End().ToArray(), null, 2, 2);
        Add("png_chunk_2gib.png", new PngBuilder().Header(2, 2).Chunk("tEXt", "a\0b"u8, declaredLength: 0x7FFF_FFF0).ToArray(), DecodeError.LimitExceeded);
        Add("png_unknown_critical.png", new PngBuilder().Header(1, 1).Chunk("ABCD", [1]).Data([0, 1, 2, 3]).End().ToArray(), DecodeError.Unsupported);
        Add("png_bad_depth.png", new PngBuilder().Header(1, 1, depth: 3).Data([0, 0]).End().ToArray(), DecodeError.Corrupt);
        Add("png_palette_missing_plte.png", new PngBuilder().Header(1, 1, depth: 8, colorType: 3).Data([0, 0]).End().ToArray(), DecodeError.Corrupt);
        Add("png_idat_before_ihdr.png", new PngBuilder().Data([0, 0]).Header(1, 1).End().ToArray(), DecodeError.Corrupt);
        Add("png_16bit.png", PillowFixtures.Bytes("rgb_16bit.png"), null, 96, 64);
        Add("png_16bit_grey.png", PillowFixtures.Bytes("grey_16bit.png"), null, 96, 64);
        Add("png_adam7.png", PillowFixtures.Bytes("rgb_adam7.png"), null, 96, 64);
        Add("png_adam7_16bit_rgba.png", PillowFixtures.Bytes("rgba_16bit_adam7.png"), null, 96, 64);
        Add("png_palette_trns.png", PillowFixtures.Bytes("palette_trns_4bit.png"), null, 96, 64);

        // --- other formats and impostors
        Add("empty.jpg", [], DecodeError.Empty);
        Add("gif_named.jpg", PillowFixtures.Bytes("photo.gif"), null, 96, 64);
        Add("png_named.jpg", PillowFixtures.Bytes("rgba.png"), null, 96, 64);
        Add("html_error_page.jpg", "<!DOCTYPE html><html><body>403 Forbidden</body></html>"u8.ToArray(), DecodeError.UnknownFormat);
        Add("random_bytes.png", RandomBytes(4096, 11), DecodeError.UnknownFormat);
        Add("webp_header.jpg", [.. "RIFF"u8, 0x24, 0, 0, 0, .. "WEBPVP8 "u8, 0, 0, 0, 0], DecodeError.Unsupported);
        var gif = PillowFixtures.Bytes("photo.gif");
        Add("gif_trunc_half.gif", gif[..(gif.Length / 2)], DecodeError.Truncated);
        Add("gif_trunc_header.gif", gif[..9], DecodeError.Truncated);
        Add("gif_65535x65535.gif", WithGifScreen(gif, 65535, 65535), DecodeError.TooManyPixels);
        var bmp = PillowFixtures.Bytes("rgb24.bmp");
        Add("bmp_ok.bmp", bmp, null, 96, 64);
        Add("bmp_trunc.bmp", bmp[..(bmp.Length - 100)], DecodeError.Truncated);
        Add("bmp_huge.bmp", WithBmpSize(bmp, 100_000, 100_000), DecodeError.TooManyPixels);
        Add("bmp_rle8.bmp", WithBmpCompression(PillowFixtures.Bytes("palette8.bmp"), 1), DecodeError.Unsupported);
        Cases = cases;
    }

    public string PathOf(Case c) => Path.Combine(Folder, c.FileName);

    private static int IndexOfMarker(byte[] jpeg, byte marker)
    {
        for (int i = 0; i + 1 < jpeg.Length; i++)
            if (jpeg[i] == 0xFF && jpeg[i + 1] == marker) return i;
        throw new InvalidOperationException($"No FF{marker:X2} marker.");
    }

    /// <summary>Rewrites the frame header (SOF0/SOF2) to declare another size (JPEG sides are 16-bit, so 100,000 cannot be said).</summary>
    private static byte[] WithJpegSize(byte[] jpeg, int width, int height)
    {
        var b = (byte[])jpeg.Clone();
        int sof = 2;
        while (!(b[sof] == 0xFF && b[sof + 1] is 0xC0 or 0xC1 or 0xC2)) sof += 2 + (b[sof + 2] << 8 | b[sof + 3]);
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(sof + 5), (ushort)height);
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(sof + 7), (ushort)width);
        return b;
    }

    /// <summary>Points the Exif IFD0 offset past the end of the block: the image must still decode, unrotated.</summary>
    private static byte[] WithBrokenExif(byte[] jpeg)
    {
        var b = (byte[])jpeg.Clone();
        int app1 = IndexOfMarker(b, 0xE1);
        int tiff = app1 + 4 + 6;
        bool little = b[tiff] == (byte)'I';
        if (little) BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(tiff + 4), 0x7FFFFFF0);
        else BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(tiff + 4), 0x7FFFFFF0);
        return b;
    }

    private static byte[] WithGifScreen(byte[] gif, int w, int h)
    {
        var b = (byte[])gif.Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(6), (ushort)w);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(8), (ushort)h);
        return b;
    }

    private static byte[] WithBmpSize(byte[] bmp, int w, int h)
    {
        var b = (byte[])bmp.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(18), w);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(22), h);
        return b;
    }

    private static byte[] WithBmpCompression(byte[] bmp, int compression)
    {
        var b = (byte[])bmp.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(30), compression);
        return b;
    }

    private static byte[] RandomBytes(int n, int seed)
    {
        var b = new byte[n];
        new Random(seed).NextBytes(b);
        b[0] = 0x42; b[1] = 0x00; // never a BMP "BM" by chance
        return b;
    }

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}
