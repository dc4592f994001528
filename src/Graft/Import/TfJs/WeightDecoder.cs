using System.Buffers.Binary;

namespace Graft.Import.TfJs;

/// <summary>Turns a weight's bytes (little-endian, as tfjs writes them) into float32 values.</summary>
internal static class WeightDecoder
{
    public static void Decode(WeightEntry w, ReadOnlySpan<byte> bytes, Span<float> dst)
    {
        int n = dst.Length;
        switch (w.Storage)
        {
            case StorageType.Float32:
                for (int i = 0; i < n; i++) dst[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.Slice(i * 4, 4));
                break;
            case StorageType.Int32:
                for (int i = 0; i < n; i++) dst[i] = BinaryPrimitives.ReadInt32LittleEndian(bytes.Slice(i * 4, 4));
                break;
            case StorageType.Uint8:
                // tfjs computes q * scale + min in float64 and rounds once to float32; doing the same keeps bit-exactness.
                for (int i = 0; i < n; i++) dst[i] = (float)(bytes[i] * w.Scale + w.Min);
                break;
            case StorageType.Uint16:
                for (int i = 0; i < n; i++) dst[i] = (float)(BinaryPrimitives.ReadUInt16LittleEndian(bytes.Slice(i * 2, 2)) * w.Scale + w.Min);
                break;
            case StorageType.Float16:
                for (int i = 0; i < n; i++) dst[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(bytes.Slice(i * 2, 2));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(w), w.Storage, "unknown storage type");
        }
    }
}
