namespace Graft.Data.Images;

/// <summary>Container formats recognised from their leading bytes (never from the file extension).</summary>
public enum ImageFormat
{
    Unknown,
    Jpeg,
    Png,
    Bmp,
    Gif,
    // Recognised only so that the error can name them; Graft does not decode these.
    Webp,
    Tiff,
}
