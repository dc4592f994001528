using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Graft.Kernels;

/// <summary>
/// Per-channel operations on NHWC data seen as rows of C channels (a row is one pixel: x[r * C + c]).
/// Every vector path is laid out the same way: lane j of a vector holds channel c + j of the current row,
/// so per-channel coefficients load with the same offset as the data. Vector512 runs first, Vector256
/// takes what is left, scalar code finishes the tail; the *Scalar methods are the plain references the
/// tests compare against and the path taken when hardware intrinsics are off.
/// </summary>
public static class ElementwiseChannels
{
    /// <summary>acc[c] += Σ_{r in [r0, r1)} x[r, c].</summary>
    public static void AccumulateRows(ReadOnlySpan<float> x, int channels, int r0, int r1, Span<float> acc)
    {
        CheckRows(x.Length, channels, r0, r1, acc.Length);
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float ar = ref MemoryMarshal.GetReference(acc);
        for (int r = r0; r < r1; r++)
        {
            nuint row = (nuint)r * (nuint)channels;
            int c = 0;
            if (Vector512.IsHardwareAccelerated)
                for (; c <= channels - 16; c += 16)
                    (Vector512.LoadUnsafe(ref ar, (nuint)c) + Vector512.LoadUnsafe(ref xr, row + (nuint)c)).StoreUnsafe(ref ar, (nuint)c);
            if (Vector256.IsHardwareAccelerated)
                for (; c <= channels - 8; c += 8)
                    (Vector256.LoadUnsafe(ref ar, (nuint)c) + Vector256.LoadUnsafe(ref xr, row + (nuint)c)).StoreUnsafe(ref ar, (nuint)c);
            for (; c < channels; c++) Unsafe.Add(ref ar, c) += Unsafe.Add(ref xr, row + (nuint)c);
        }
    }

    public static void AccumulateRowsScalar(ReadOnlySpan<float> x, int channels, int r0, int r1, Span<float> acc)
    {
        for (int r = r0; r < r1; r++)
            for (int c = 0; c < channels; c++) acc[c] += x[r * channels + c];
    }

    /// <summary>acc[c] += Σ_r (x[r, c] − mean[c])².</summary>
    public static void AccumulateSquaredDeviation(ReadOnlySpan<float> x, ReadOnlySpan<float> mean, int channels, int r0, int r1, Span<float> acc)
    {
        CheckRows(x.Length, channels, r0, r1, acc.Length);
        CheckRows(0, channels, 0, 0, mean.Length);
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float mr = ref MemoryMarshal.GetReference(mean);
        ref float ar = ref MemoryMarshal.GetReference(acc);
        for (int r = r0; r < r1; r++)
        {
            nuint row = (nuint)r * (nuint)channels;
            int c = 0;
            if (Vector512.IsHardwareAccelerated)
                for (; c <= channels - 16; c += 16)
                {
                    var d = Vector512.LoadUnsafe(ref xr, row + (nuint)c) - Vector512.LoadUnsafe(ref mr, (nuint)c);
                    Vector512.FusedMultiplyAdd(d, d, Vector512.LoadUnsafe(ref ar, (nuint)c)).StoreUnsafe(ref ar, (nuint)c);
                }
            if (Vector256.IsHardwareAccelerated)
                for (; c <= channels - 8; c += 8)
                {
                    var d = Vector256.LoadUnsafe(ref xr, row + (nuint)c) - Vector256.LoadUnsafe(ref mr, (nuint)c);
                    Vector256.FusedMultiplyAdd(d, d, Vector256.LoadUnsafe(ref ar, (nuint)c)).StoreUnsafe(ref ar, (nuint)c);
                }
            for (; c < channels; c++)
            {
                float d = Unsafe.Add(ref xr, row + (nuint)c) - Unsafe.Add(ref mr, c);
                Unsafe.Add(ref ar, c) += d * d;
            }
        }
    }

    public static void AccumulateSquaredDeviationScalar(ReadOnlySpan<float> x, ReadOnlySpan<float> mean, int channels, int r0, int r1, Span<float> acc)
    {
        for (int r = r0; r < r1; r++)
            for (int c = 0; c < channels; c++)
            {
                float d = x[r * channels + c] - mean[c];
                acc[c] += d * d;
            }
    }

    /// <summary>sumDy[c] += Σ_r dy[r, c]; sumDyXc[c] += Σ_r dy[r, c] · (x[r, c] − mean[c]) (BatchNorm's backward sums).</summary>
    public static void AccumulateGradSums(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> mean, int channels, int r0, int r1,
        Span<float> sumDy, Span<float> sumDyXc)
    {
        CheckRows(x.Length, channels, r0, r1, sumDy.Length);
        CheckRows(dy.Length, channels, r0, r1, sumDyXc.Length);
        CheckRows(0, channels, 0, 0, mean.Length);
        ref float gr = ref MemoryMarshal.GetReference(dy);
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float mr = ref MemoryMarshal.GetReference(mean);
        ref float sr = ref MemoryMarshal.GetReference(sumDy);
        ref float pr = ref MemoryMarshal.GetReference(sumDyXc);
        for (int r = r0; r < r1; r++)
        {
            nuint row = (nuint)r * (nuint)channels;
            int c = 0;
            if (Vector512.IsHardwareAccelerated)
                for (; c <= channels - 16; c += 16)
                {
                    var g = Vector512.LoadUnsafe(ref gr, row + (nuint)c);
                    var d = Vector512.LoadUnsafe(ref xr, row + (nuint)c) - Vector512.LoadUnsafe(ref mr, (nuint)c);
                    (Vector512.LoadUnsafe(ref sr, (nuint)c) + g).StoreUnsafe(ref sr, (nuint)c);
                    Vector512.FusedMultiplyAdd(g, d, Vector512.LoadUnsafe(ref pr, (nuint)c)).StoreUnsafe(ref pr, (nuint)c);
                }
            if (Vector256.IsHardwareAccelerated)
                for (; c <= channels - 8; c += 8)
                {
                    var g = Vector256.LoadUnsafe(ref gr, row + (nuint)c);
                    var d = Vector256.LoadUnsafe(ref xr, row + (nuint)c) - Vector256.LoadUnsafe(ref mr, (nuint)c);
                    (Vector256.LoadUnsafe(ref sr, (nuint)c) + g).StoreUnsafe(ref sr, (nuint)c);
                    Vector256.FusedMultiplyAdd(g, d, Vector256.LoadUnsafe(ref pr, (nuint)c)).StoreUnsafe(ref pr, (nuint)c);
                }
            for (; c < channels; c++)
            {
                float g = Unsafe.Add(ref gr, row + (nuint)c);
                Unsafe.Add(ref sr, c) += g;
                Unsafe.Add(ref pr, c) += g * (Unsafe.Add(ref xr, row + (nuint)c) - Unsafe.Add(ref mr, c));
            }
        }
    }

    public static void AccumulateGradSumsScalar(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> mean, int channels, int r0, int r1,
        Span<float> sumDy, Span<float> sumDyXc)
    {
        for (int r = r0; r < r1; r++)
            for (int c = 0; c < channels; c++)
            {
                float g = dy[r * channels + c];
                sumDy[c] += g;
                sumDyXc[c] += g * (x[r * channels + c] - mean[c]);
            }
    }

    /// <summary>y[r, c] = x[r, c] · scale[c] + shift[c] for rows [r0, r1). y may alias x.</summary>
    public static void AffineRows(ReadOnlySpan<float> x, ReadOnlySpan<float> scale, ReadOnlySpan<float> shift, Span<float> y, int channels, int r0, int r1)
    {
        CheckRows(x.Length, channels, r0, r1, scale.Length);
        CheckRows(y.Length, channels, r0, r1, shift.Length);
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float ar = ref MemoryMarshal.GetReference(scale);
        ref float br = ref MemoryMarshal.GetReference(shift);
        ref float yr = ref MemoryMarshal.GetReference(y);
        for (int r = r0; r < r1; r++)
        {
            nuint row = (nuint)r * (nuint)channels;
            int c = 0;
            if (Vector512.IsHardwareAccelerated)
                for (; c <= channels - 16; c += 16)
                    Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref xr, row + (nuint)c), Vector512.LoadUnsafe(ref ar, (nuint)c), Vector512.LoadUnsafe(ref br, (nuint)c))
                        .StoreUnsafe(ref yr, row + (nuint)c);
            if (Vector256.IsHardwareAccelerated)
                for (; c <= channels - 8; c += 8)
                    Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref xr, row + (nuint)c), Vector256.LoadUnsafe(ref ar, (nuint)c), Vector256.LoadUnsafe(ref br, (nuint)c))
                        .StoreUnsafe(ref yr, row + (nuint)c);
            for (; c < channels; c++)
                Unsafe.Add(ref yr, row + (nuint)c) = MathF.FusedMultiplyAdd(Unsafe.Add(ref xr, row + (nuint)c), Unsafe.Add(ref ar, c), Unsafe.Add(ref br, c));
        }
    }

    public static void AffineRowsScalar(ReadOnlySpan<float> x, ReadOnlySpan<float> scale, ReadOnlySpan<float> shift, Span<float> y, int channels, int r0, int r1)
    {
        for (int r = r0; r < r1; r++)
            for (int c = 0; c < channels; c++) y[r * channels + c] = x[r * channels + c] * scale[c] + shift[c];
    }

    /// <summary>z[r, c] = a[c] · u[r, c] + b[c] · v[r, c] + d[c] (BatchNorm's training-mode input gradient). z may alias u or v.</summary>
    public static void Affine2Rows(ReadOnlySpan<float> u, ReadOnlySpan<float> v, ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> d,
        Span<float> z, int channels, int r0, int r1)
    {
        CheckRows(u.Length, channels, r0, r1, a.Length);
        CheckRows(v.Length, channels, r0, r1, b.Length);
        CheckRows(z.Length, channels, r0, r1, d.Length);
        ref float ur = ref MemoryMarshal.GetReference(u);
        ref float vr = ref MemoryMarshal.GetReference(v);
        ref float ar = ref MemoryMarshal.GetReference(a);
        ref float br = ref MemoryMarshal.GetReference(b);
        ref float dr = ref MemoryMarshal.GetReference(d);
        ref float zr = ref MemoryMarshal.GetReference(z);
        for (int r = r0; r < r1; r++)
        {
            nuint row = (nuint)r * (nuint)channels;
            int c = 0;
            if (Vector512.IsHardwareAccelerated)
                for (; c <= channels - 16; c += 16)
                {
                    var t = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref vr, row + (nuint)c), Vector512.LoadUnsafe(ref br, (nuint)c), Vector512.LoadUnsafe(ref dr, (nuint)c));
                    Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref ur, row + (nuint)c), Vector512.LoadUnsafe(ref ar, (nuint)c), t).StoreUnsafe(ref zr, row + (nuint)c);
                }
            if (Vector256.IsHardwareAccelerated)
                for (; c <= channels - 8; c += 8)
                {
                    var t = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref vr, row + (nuint)c), Vector256.LoadUnsafe(ref br, (nuint)c), Vector256.LoadUnsafe(ref dr, (nuint)c));
                    Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref ur, row + (nuint)c), Vector256.LoadUnsafe(ref ar, (nuint)c), t).StoreUnsafe(ref zr, row + (nuint)c);
                }
            for (; c < channels; c++)
                Unsafe.Add(ref zr, row + (nuint)c) = Unsafe.Add(ref ur, row + (nuint)c) * Unsafe.Add(ref ar, c)
                    + Unsafe.Add(ref vr, row + (nuint)c) * Unsafe.Add(ref br, c) + Unsafe.Add(ref dr, c);
        }
    }

    public static void Affine2RowsScalar(ReadOnlySpan<float> u, ReadOnlySpan<float> v, ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> d,
        Span<float> z, int channels, int r0, int r1)
    {
        for (int r = r0; r < r1; r++)
            for (int c = 0; c < channels; c++)
            {
                int i = r * channels + c;
                z[i] = u[i] * a[c] + v[i] * b[c] + d[c];
            }
    }

    // The unsafe loops rely on these bounds; checking once per call keeps the inner loops free of checks.
    private static void CheckRows(int dataLength, int channels, int rowStart, int rowEnd, int coefficientLength)
    {
        if (channels < 0 || rowStart < 0 || (long)rowEnd * channels > dataLength || coefficientLength < channels)
            throw new ArgumentException($"Channel kernel: {rowEnd} rows of {channels} channels need {(long)rowEnd * channels} values and {channels} coefficients. Received: {dataLength} values, {coefficientLength} coefficients.");
    }
}
