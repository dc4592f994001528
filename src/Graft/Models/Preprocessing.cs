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
    /// Maps interleaved 8-bit RGB pixels (H·W·3, as image decoders give them) to model input values, swapping
    /// to BGR when the model wants it.
    /// </summary>
    public void Apply(ReadOnlySpan<byte> rgb, Span<float> destination)
    {
        int c = Channels;
        if (rgb.Length % c != 0 || destination.Length != rgb.Length)
            throw new ArgumentException($"Expected {c}-channel pixels and a destination of the same length. Received: {rgb.Length} bytes, {destination.Length} floats.");
        for (int i = 0; i < rgb.Length; i += c)
            for (int k = 0; k < c; k++)
            {
                int src = ColorOrder == ColorOrder.Bgr ? c - 1 - k : k;
                destination[i + k] = rgb[i + src] * Scale[k] + Offset[k];
            }
    }

    public override string ToString() => Description;
}
