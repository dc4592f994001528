namespace Graft.Models;

/// <summary>The order of colour channels a model's first layer was trained on.</summary>
public enum ColorOrder { Rgb, Bgr }

/// <summary>
/// What a model's weights expect of their input: 8-bit pixels in <see cref="ColorOrder"/>, mapped per channel
/// to x = pixel · Scale[c] + Offset[c]. The expected value range follows from it (see <see cref="ExpectedMin"/>).
/// </summary>
public sealed record Preprocessing(ColorOrder ColorOrder, float[] Scale, float[] Offset, string Description)
{
    /// <summary>Keras "tf" mode (MobileNet, Inception): RGB, x/127.5 − 1, values in [−1, 1].</summary>
    public static Preprocessing MinusOneToOne { get; } = new(ColorOrder.Rgb, [1 / 127.5f, 1 / 127.5f, 1 / 127.5f], [-1f, -1f, -1f], "RGB, x/127.5 − 1 (values in [−1, 1])");

    /// <summary>RGB, x/255, values in [0, 1] (nsfwjs).</summary>
    public static Preprocessing ZeroToOne { get; } = new(ColorOrder.Rgb, [1 / 255f, 1 / 255f, 1 / 255f], [0f, 0f, 0f], "RGB, x/255 (values in [0, 1])");

    public int Channels => Scale.Length;

    /// <summary>The smallest value a correctly preprocessed input can hold.</summary>
    public float ExpectedMin => Enumerable.Range(0, Channels).Min(c => Math.Min(Offset[c], 255 * Scale[c] + Offset[c]));

    /// <summary>The largest value a correctly preprocessed input can hold.</summary>
    public float ExpectedMax => Enumerable.Range(0, Channels).Max(c => Math.Max(Offset[c], 255 * Scale[c] + Offset[c]));

    /// <summary>
    /// The per-pixel map the data loader applies (<see cref="Data.Preprocessing"/>). Scale and Offset here are in the
    /// model's channel order; the loader's are in RGB order, so BGR models swap the first and last channels.
    /// </summary>
    public Data.Preprocessing ToPixelMap()
    {
        if (Channels != 3) throw new NotSupportedException($"The data loader makes 3-channel images; this model expects {Channels} channels.");
        int r = ColorOrder == ColorOrder.Bgr ? 2 : 0, b = 2 - r;
        return new Data.Preprocessing(Scale[r], Scale[1], Scale[b], Offset[r], Offset[1], Offset[b], ColorOrder == ColorOrder.Bgr);
    }

    /// <summary>Maps interleaved 8-bit RGB pixels (H·W·3, as image decoders give them) to model input values.</summary>
    public void Apply(ReadOnlySpan<byte> rgb, Span<float> destination)
    {
        if (destination.Length != rgb.Length)
            throw new ArgumentException($"Expected a destination as long as the pixels. Received: {rgb.Length} bytes, {destination.Length} floats.");
        ToPixelMap().Apply(rgb, destination);
    }

    public override string ToString() => Description;
}
