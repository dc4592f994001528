namespace Graft.Data.Images;

/// <summary>
/// The one exception every decoder throws: which file, why (a <see cref="DecodeError"/> to act on), and a
/// message for people. Decoders wrap every lower-level failure (index errors, zlib errors, native errors) in it.
/// </summary>
public sealed class ImageDecodeException : Exception
{
    public ImageDecodeException(string filePath, DecodeError reason, string detail, Exception? inner = null)
        : base($"{filePath}: {Describe(reason)}: {detail}", inner)
    {
        FilePath = filePath;
        Reason = reason;
        Detail = detail;
    }

    public string FilePath { get; }
    public DecodeError Reason { get; }

    /// <summary>The message without the file name and reason prefix.</summary>
    public string Detail { get; }

    internal ImageDecodeException WithPath(string filePath) =>
        filePath == FilePath ? this : new ImageDecodeException(filePath, Reason, Detail, InnerException);

    private static string Describe(DecodeError reason) => reason switch
    {
        DecodeError.Empty => "empty file",
        DecodeError.UnknownFormat => "not an image in a known format",
        DecodeError.Unsupported => "unsupported format",
        DecodeError.Truncated => "truncated",
        DecodeError.Corrupt => "corrupt",
        DecodeError.ChecksumMismatch => "checksum mismatch",
        DecodeError.TooManyPixels => "too many pixels",
        DecodeError.LimitExceeded => "size limit exceeded",
        DecodeError.ReadFailed => "could not read",
        _ => reason.ToString(),
    };
}
