namespace Graft.Data.Images;

/// <summary>Limits and hints for one decode. The defaults refuse decompression bombs the way Pillow does.</summary>
public sealed record DecodeOptions
{
    public static DecodeOptions Default { get; } = new();

    /// <summary>Images whose declared width · height exceeds this are refused after reading only the header
    /// (Pillow's default limit, 89,478,485 = 0x5555555 pixels, about 256 MiB of RGBA).</summary>
    public long MaxPixels { get; init; } = 89_478_485;

    /// <summary>Files larger than this are refused before being read.</summary>
    public long MaxFileBytes { get; init; } = 256L << 20;

    /// <summary>PNG chunks longer than this are refused (an IHDR-to-IEND image needs far less per chunk).</summary>
    public int MaxPngChunkBytes { get; init; } = 64 << 20;

    /// <summary>Rotate/flip by the EXIF orientation tag (JPEG APP1, PNG eXIf), as Pillow's ImageOps.exif_transpose.</summary>
    public bool ApplyExifOrientation { get; init; } = true;

    /// <summary>
    /// When both are positive, a JPEG may be decoded at 1/2, 1/4 or 1/8 scale in the DCT domain as long as the
    /// result stays at least this large (as displayed, after EXIF rotation). 0 means full size.
    /// </summary>
    public int MinWidth { get; init; }
    public int MinHeight { get; init; }
}
