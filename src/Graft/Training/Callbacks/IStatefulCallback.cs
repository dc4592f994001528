namespace Graft.Training.Callbacks;

/// <summary>
/// A callback whose memory (best value so far, epochs waited, best weights) must survive a resume for the
/// resumed run to end like an uninterrupted one. State travels as named float arrays inside the checkpoint.
/// </summary>
public interface IStatefulCallback
{
    void SaveState(IDictionary<string, float[]> state);
    void LoadState(IReadOnlyDictionary<string, float[]> state);
}

internal static class StateCodec
{
    /// <summary>A double as two floats holding its bits, so it round-trips exactly.</summary>
    public static float[] Pack(double v)
    {
        long bits = BitConverter.DoubleToInt64Bits(v);
        return new[] { BitConverter.Int32BitsToSingle((int)bits), BitConverter.Int32BitsToSingle((int)(bits >> 32)) };
    }

    public static double Unpack(float[] f) =>
        BitConverter.Int64BitsToDouble((uint)BitConverter.SingleToInt32Bits(f[0]) | ((long)BitConverter.SingleToInt32Bits(f[1]) << 32));
}
