using System.Collections.Concurrent;

namespace Graft.Data.Images.Jpeg;

/// <summary>
/// Decodes JPEG with libjpeg-turbo's TurboJPEG API: header first (the pixel limit is enforced before any pixel
/// buffer exists), then DCT-domain downscaling when a much smaller image is wanted, then the pixels.
/// TurboJPEG reports a truncated file as a warning after filling the missing rows with grey; Graft turns that
/// warning into <see cref="DecodeError.Truncated"/> so a grey image never reaches training. The one warning
/// tolerated is "extraneous bytes before marker", which is common in camera files and harmless.
/// CMYK/YCCK files are decoded as CMYK, taken as Adobe-inverted (as Pillow assumes), and converted to RGB with
/// Pillow's formula; greyscale is expanded to RGB by libjpeg.
/// </summary>
internal static unsafe class JpegDecoder
{
    // tjhandles are not thread-safe but are cheap to keep: one per concurrent decode, reused.
    private static readonly ConcurrentBag<TurboJpegHandle> s_handles = [];

    public static RgbImage Decode(ReadOnlySpan<byte> data, string name, DecodeOptions options)
    {
        if (!TurboJpegNative.IsAvailable)
            throw new ImageDecodeException(name, DecodeError.ReadFailed, TurboJpegNative.MissingHint);
        if (!s_handles.TryTake(out var handle)) handle = TurboJpegHandle.Create();
        bool reusable = false;
        try
        {
            var image = Decode(handle.DangerousGetHandle(), data, name, options);
            reusable = true;
            return image;
        }
        finally
        {
            // After an error TurboJPEG 2.x leaves the decompressor mid-state, and reusing it fails valid files:
            // only a handle whose last call succeeded goes back to the pool.
            if (reusable && s_handles.Count < Environment.ProcessorCount * 2) s_handles.Add(handle);
            else handle.Dispose();
        }
    }

    private static RgbImage Decode(nint h, ReadOnlySpan<byte> data, string name, DecodeOptions options)
    {
        var markers = JpegMarkers.Scan(data);
        int orientation = options.ApplyExifOrientation ? markers.Orientation : 1;
        if ((long)markers.Width * markers.Height > options.MaxPixels)
            throw TooManyPixels(name, markers.Width, markers.Height, options);
        fixed (byte* src = data)
        {
            if (TurboJpegNative.DecompressHeader(h, src, (nuint)data.Length, out int width, out int height, out _, out int colorspace) != 0)
                throw Failure(h, data, name, "reading the header");
            if (width <= 0 || height <= 0)
                throw new ImageDecodeException(name, markers.HeadersComplete ? DecodeError.Corrupt : DecodeError.Truncated,
                    $"the header declares {width}x{height} pixels.");
            if ((long)width * height > options.MaxPixels)
                throw TooManyPixels(name, width, height, options);

            int denom = ChooseScale(width, height, orientation >= 5, options);
            int sw = (width + denom - 1) / denom, sh = (height + denom - 1) / denom;
            bool cmyk = colorspace is TurboJpegNative.ColorSpaceCmyk or TurboJpegNative.ColorSpaceYcck;
            int channels = cmyk ? 4 : 3;
            var pixels = new byte[checked(sw * sh * channels)];
            fixed (byte* dst = pixels)
            {
                int r = TurboJpegNative.Decompress(h, src, (nuint)data.Length, dst, sw, sw * channels, sh,
                    cmyk ? TurboJpegNative.PixelFormatCmyk : TurboJpegNative.PixelFormatRgb, TurboJpegNative.FlagLimitScans);
                if (r != 0)
                {
                    bool warning = TurboJpegNative.ErrorCode(h) == TurboJpegNative.ErrorWarning;
                    string message = TurboJpegNative.ErrorString(h);
                    if (!(warning && message.Contains("extraneous bytes", StringComparison.OrdinalIgnoreCase)))
                        throw Failure(h, data, name, "decoding", message);
                }
            }
            var image = cmyk ? CmykToRgb(pixels, sw, sh) : new RgbImage(sw, sh, pixels);
            return ExifOrientation.Apply(image, orientation);
        }
    }

    /// <summary>The largest DCT downscale (8, 4, 2, else 1) that keeps the image at least MinWidth x MinHeight.</summary>
    private static int ChooseScale(int width, int height, bool rotated, DecodeOptions options)
    {
        int minW = rotated ? options.MinHeight : options.MinWidth, minH = rotated ? options.MinWidth : options.MinHeight;
        if (minW <= 0 || minH <= 0) return 1;
        foreach (int d in TurboJpegNative.ScaleDenominators)
            if ((width + d - 1) / d >= minW && (height + d - 1) / d >= minH) return d;
        return 1;
    }

    private static RgbImage CmykToRgb(byte[] cmyk, int w, int h)
    {
        var image = new RgbImage(w, h);
        var d = image.Pixels;
        for (int i = 0, o = 0; o < d.Length; i += 4, o += 3)
        {
            // Stored Adobe-inverted: 255 − stored is the ink amount. Pillow: channel = (255 − k)(1 − c/255).
            int nk = cmyk[i + 3];
            d[o] = (byte)(nk - MulDiv255(255 - cmyk[i], nk));
            d[o + 1] = (byte)(nk - MulDiv255(255 - cmyk[i + 1], nk));
            d[o + 2] = (byte)(nk - MulDiv255(255 - cmyk[i + 2], nk));
        }
        return image;
    }

    private static int MulDiv255(int a, int b)
    {
        int t = a * b + 128;
        return ((t >> 8) + t) >> 8;
    }

    private static ImageDecodeException TooManyPixels(string name, int width, int height, DecodeOptions options) =>
        new(name, DecodeError.TooManyPixels,
            $"the header declares {width}x{height} = {(long)width * height:N0} pixels; the limit is {options.MaxPixels:N0} (DecodeOptions.MaxPixels).");

    private static ImageDecodeException Failure(nint h, ReadOnlySpan<byte> data, string name, string stage, string? message = null)
    {
        message ??= TurboJpegNative.ErrorString(h);
        // libjpeg reports running out of data in several ways ("Premature end", "missing SOS", a bogus length
        // read from past the end); a file that does not end in EOI (FFD9), or whose headers stop mid-segment,
        // is truncated whatever the message.
        bool truncated = message.Contains("Premature end", StringComparison.OrdinalIgnoreCase) ||
                         !JpegMarkers.EndsWithEoi(data) && !message.Contains("Unsupported marker", StringComparison.OrdinalIgnoreCase) ||
                         !JpegMarkers.Scan(data).HeadersComplete;
        var reason = truncated ? DecodeError.Truncated
            : IsUnsupportedFeature(message) ? DecodeError.Unsupported
            : DecodeError.Corrupt;
        return new ImageDecodeException(name, reason, $"libjpeg-turbo, {stage}: {message}");
    }

    // Messages for valid JPEG features libjpeg-turbo does not implement (e.g. 12-bit precision, arithmetic coding
    // when built without it, DNL-defined height), as opposed to "Unsupported marker type", which is bad data.
    private static bool IsUnsupportedFeature(string message) =>
        message.Contains("precision", StringComparison.OrdinalIgnoreCase) ||
        message.Contains("DNL not supported", StringComparison.OrdinalIgnoreCase) ||
        message.Contains("color conversion", StringComparison.OrdinalIgnoreCase) ||
        message.Contains("arithmetic", StringComparison.OrdinalIgnoreCase) ||
        message.Contains("lossless", StringComparison.OrdinalIgnoreCase);
}
