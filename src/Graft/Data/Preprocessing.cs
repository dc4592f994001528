namespace Graft.Data;

/// <summary>
/// How 8-bit RGB becomes model input: out[c] = in[c] · Scale[c] + Offset[c], channels optionally written as BGR
/// (Keras "caffe" mode). Scale and offset are given in RGB order. The model zoo supplies one per model.
/// </summary>
public readonly record struct Preprocessing(
    float ScaleR, float ScaleG, float ScaleB,
    float OffsetR, float OffsetG, float OffsetB,
    bool Bgr = false)
{
    public Preprocessing(float scale, float offset) : this(scale, scale, scale, offset, offset, offset) { }

    /// <summary>Values 0..255 unchanged.</summary>
    public static Preprocessing None => new(1f, 0f);

    /// <summary>x / 255, into [0, 1].</summary>
    public static Preprocessing UnitRange => new(1f / 255, 0f);

    /// <summary>x / 127.5 − 1, into [−1, 1]: MobileNet v1/v2, Inception (Keras "tf" mode).</summary>
    public static Preprocessing SymmetricUnitRange => new(1f / 127.5f, -1f);

    /// <summary>BGR, ImageNet mean subtracted, not scaled: VGG, ResNet50 (Keras "caffe" mode).</summary>
    public static Preprocessing Caffe => new(1f, 1f, 1f, -123.68f, -116.779f, -103.939f, Bgr: true);

    /// <summary>(x / 255 − mean) / std with ImageNet statistics (Keras "torch" mode, torchvision).</summary>
    public static Preprocessing Torch => FromMeanStd([0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f], 255f);

    /// <summary>(x / <paramref name="pixelScale"/> − mean) / std per channel, RGB order.</summary>
    public static Preprocessing FromMeanStd(ReadOnlySpan<float> mean, ReadOnlySpan<float> std, float pixelScale = 255f)
    {
        if (mean.Length != 3 || std.Length != 3) throw new ArgumentException($"Expected 3 means and 3 standard deviations. Received: {mean.Length} and {std.Length}.");
        return new(1f / (pixelScale * std[0]), 1f / (pixelScale * std[1]), 1f / (pixelScale * std[2]),
            -mean[0] / std[0], -mean[1] / std[1], -mean[2] / std[2]);
    }

    /// <summary>Converts interleaved RGB bytes to interleaved floats (RGB or BGR order), the same number of values.</summary>
    public void Apply(ReadOnlySpan<byte> rgb, Span<float> destination)
    {
        if (destination.Length < rgb.Length) throw new ArgumentException($"Destination holds {destination.Length} values; expected {rgb.Length}.");
        if (rgb.Length % 3 != 0) throw new ArgumentException($"Expected whole RGB pixels. Received: {rgb.Length} bytes.");
        // A 3 x 256 table: one lookup per value, whatever the scale and offset.
        Span<float> table = stackalloc float[768];
        for (int v = 0; v < 256; v++)
        {
            table[v] = v * ScaleR + OffsetR;
            table[256 + v] = v * ScaleG + OffsetG;
            table[512 + v] = v * ScaleB + OffsetB;
        }
        int first = Bgr ? 2 : 0, last = Bgr ? 0 : 2;
        for (int i = 0; i < rgb.Length; i += 3)
        {
            destination[i + first] = table[rgb[i]];
            destination[i + 1] = table[256 + rgb[i + 1]];
            destination[i + last] = table[512 + rgb[i + 2]];
        }
    }

    /// <summary>The float one byte value of channel <paramref name="channel"/> (RGB order) maps to.</summary>
    public float Map(int channel, byte value) => channel switch
    {
        0 => value * ScaleR + OffsetR,
        1 => value * ScaleG + OffsetG,
        _ => value * ScaleB + OffsetB,
    };
}
