namespace Graft.Data.Images;

/// <summary>
/// An 8-bit RGB image, rows top to bottom, pixels interleaved R, G, B with no row padding
/// (stride = 3 · Width). Every decoder produces this one layout so that transforms need only one code path.
/// </summary>
public sealed class RgbImage
{
    public RgbImage(int width, int height) : this(width, height, new byte[checked(width * height * 3)]) { }

    public RgbImage(int width, int height, byte[] pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (width <= 0 || height <= 0)
            throw new ArgumentException($"Image dimensions must be positive. Received: {width}x{height}.");
        if (pixels.Length < (long)width * height * 3)
            throw new ArgumentException($"A {width}x{height} RGB image needs {(long)width * height * 3} bytes. Received: {pixels.Length}.");
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    public int Width { get; }
    public int Height { get; }
    public int Stride => Width * 3;

    /// <summary>The pixel bytes; may be longer than 3 · Width · Height when a pooled buffer backs the image.</summary>
    public byte[] Pixels { get; }

    public long ByteCount => (long)Width * Height * 3;
    public Span<byte> Row(int y) => Pixels.AsSpan(y * Stride, Stride);
    public Span<byte> Span => Pixels.AsSpan(0, Width * Height * 3);

    public RgbImage Clone() => new(Width, Height, Span.ToArray());
    public override string ToString() => $"RgbImage({Width}x{Height})";
}
