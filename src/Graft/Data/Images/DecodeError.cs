namespace Graft.Data.Images;

/// <summary>Why an image could not be decoded; the loader's report groups bad files by this.</summary>
public enum DecodeError
{
    /// <summary>The file is empty.</summary>
    Empty,
    /// <summary>The bytes match no known image format (whatever the extension says).</summary>
    UnknownFormat,
    /// <summary>A recognised format, or a feature of one (e.g. BMP RLE, 12-bit JPEG), that Graft does not decode.</summary>
    Unsupported,
    /// <summary>The data ends before the image does.</summary>
    Truncated,
    /// <summary>Structurally invalid data (bad header, bad Huffman code, bad filter type, ...).</summary>
    Corrupt,
    /// <summary>A PNG chunk CRC or zlib Adler-32 does not match.</summary>
    ChecksumMismatch,
    /// <summary>The declared width · height exceeds <see cref="DecodeOptions.MaxPixels"/>.</summary>
    TooManyPixels,
    /// <summary>A size limit other than the pixel count (file size, chunk size, inflated size) was exceeded.</summary>
    LimitExceeded,
    /// <summary>The file could not be read, or the native decoder library is missing.</summary>
    ReadFailed,
}
