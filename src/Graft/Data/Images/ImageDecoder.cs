using System.Buffers;
using Graft.Data.Images.Bmp;
using Graft.Data.Images.Gif;
using Graft.Data.Images.Jpeg;
using Graft.Data.Images.Png;

namespace Graft.Data.Images;

/// <summary>
/// Decodes JPEG, PNG, BMP and GIF (first frame) to <see cref="RgbImage"/>, choosing the decoder from the bytes.
/// Every failure, whatever its cause, surfaces as an <see cref="ImageDecodeException"/> naming the file.
/// Thread-safe; call from as many threads as you like.
/// </summary>
public static class ImageDecoder
{
    public static RgbImage Decode(string path, DecodeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        options ??= DecodeOptions.Default;
        byte[]? rented = null;
        try
        {
            int length;
            using (var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan))
            {
                long size = RandomAccess.GetLength(file);
                if (size > options.MaxFileBytes)
                    throw new ImageDecodeException(path, DecodeError.LimitExceeded, $"the file is {size:N0} bytes; the limit is {options.MaxFileBytes:N0} (DecodeOptions.MaxFileBytes).");
                rented = ArrayPool<byte>.Shared.Rent((int)Math.Max(size, 1));
                length = 0;
                // The size can change under us; read what is there now.
                while (length < size)
                {
                    int n = RandomAccess.Read(file, rented.AsSpan(length, (int)size - length), length);
                    if (n == 0) break;
                    length += n;
                }
            }
            return Decode(rented.AsSpan(0, length), path, options);
        }
        catch (ImageDecodeException) { throw; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageDecodeException(path, DecodeError.ReadFailed, e.Message, e);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <param name="name">The name errors should carry (a path, a URL, "&lt;memory&gt;").</param>
    public static RgbImage Decode(ReadOnlySpan<byte> data, string name = "<memory>", DecodeOptions? options = null)
    {
        options ??= DecodeOptions.Default;
        if (data.IsEmpty) throw new ImageDecodeException(name, DecodeError.Empty, "zero bytes.");
        var format = ImageFormatDetector.Detect(data);
        try
        {
            return format switch
            {
                ImageFormat.Jpeg => JpegDecoder.Decode(data, name, options),
                ImageFormat.Png => PngDecoder.Decode(data, name, options),
                ImageFormat.Bmp => BmpDecoder.Decode(data, name, options),
                ImageFormat.Gif => GifDecoder.Decode(data, name, options),
                ImageFormat.Unknown => throw new ImageDecodeException(name, DecodeError.UnknownFormat,
                    $"the first bytes ({Convert.ToHexString(data[..Math.Min(8, data.Length)])}) match no JPEG, PNG, BMP or GIF signature."),
                _ => throw new ImageDecodeException(name, DecodeError.Unsupported, $"{format} images are not decoded by Graft (JPEG, PNG, BMP and GIF are)."),
            };
        }
        catch (ImageDecodeException) { throw; }
        catch (OutOfMemoryException e)
        {
            throw new ImageDecodeException(name, DecodeError.LimitExceeded, "not enough memory to decode.", e);
        }
        catch (Exception e) when (e is IndexOutOfRangeException or ArgumentException or OverflowException or InvalidDataException)
        {
            // A decoder read past a buffer or hit an inconsistent field: the file is malformed in a way no check named.
            throw new ImageDecodeException(name, DecodeError.Corrupt, $"{format} data is malformed ({e.GetType().Name}: {e.Message}).", e);
        }
        catch (DllNotFoundException e)
        {
            throw new ImageDecodeException(name, DecodeError.ReadFailed, e.Message, e);
        }
    }
}
