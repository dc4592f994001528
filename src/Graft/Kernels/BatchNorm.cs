using System.Buffers;

namespace Graft.Kernels;

/// <summary>
/// Batch normalization over NHWC data seen as R = N·H·W rows of C channels; statistics are per channel.
/// Sums run in float over blocks of <see cref="BlockRows"/> rows and in double across blocks, so a large
/// batch loses no precision. Rows are split into groups fixed by R alone and the group sums are added in
/// order, so results do not depend on how many threads ran.
/// </summary>
public static class BatchNorm
{
    private const int BlockRows = 64;
    private const int GroupRows = 1024;
    private const int MaxGroups = 32;

    private delegate void RowAccumulator(int r0, int r1, Span<float> acc);

    /// <summary>Per-channel mean and biased variance (divided by R, as Keras's moments) in two passes.</summary>
    public static void Moments(ReadOnlyMemory<float> x, int channels, Span<float> mean, Span<float> variance)
    {
        int rows = Rows(x.Length, channels);
        // Wide layers (MobileNetV2's 960 expanded channels) rent instead of allocating: this runs every training step.
        double[]? rentedSums = channels <= 512 ? null : ArrayPool<double>.Shared.Rent(channels);
        Span<double> sums = rentedSums is null ? stackalloc double[channels] : rentedSums.AsSpan(0, channels);
        var meanArr = ArrayPool<float>.Shared.Rent(channels);
        try
        {
            ReduceRows(rows, channels, (r0, r1, acc) => ElementwiseChannels.AccumulateRows(x.Span, channels, r0, r1, acc), sums);
            for (int c = 0; c < channels; c++) meanArr[c] = mean[c] = rows == 0 ? 0f : (float)(sums[c] / rows);
            ReduceRows(rows, channels, (r0, r1, acc) => ElementwiseChannels.AccumulateSquaredDeviation(x.Span, meanArr, channels, r0, r1, acc), sums);
            for (int c = 0; c < channels; c++) variance[c] = rows == 0 ? 0f : (float)(sums[c] / rows);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(meanArr);
            if (rentedSums is not null) ArrayPool<double>.Shared.Return(rentedSums);
        }
    }

    /// <summary>sumDy[c] = Σ dy; sumDyXc[c] = Σ dy · (x − mean[c]): what both backward modes need.</summary>
    public static void GradSums(ReadOnlyMemory<float> dy, ReadOnlyMemory<float> x, ReadOnlyMemory<float> mean, int channels, Span<float> sumDy, Span<float> sumDyXc)
    {
        int rows = Rows(x.Length, channels);
        if (dy.Length != x.Length) throw new ArgumentException($"BatchNorm backward: dy has {dy.Length} values, x has {x.Length}.");
        double[]? rentedSums = channels <= 256 ? null : ArrayPool<double>.Shared.Rent(2 * channels);
        Span<double> sums = rentedSums is null ? stackalloc double[2 * channels] : rentedSums.AsSpan(0, 2 * channels);
        try
        {
            ReduceRows(rows, 2 * channels, (r0, r1, acc) =>
                ElementwiseChannels.AccumulateGradSums(dy.Span, x.Span, mean.Span, channels, r0, r1, acc[..channels], acc[channels..]), sums);
            for (int c = 0; c < channels; c++)
            {
                sumDy[c] = (float)sums[c];
                sumDyXc[c] = (float)sums[channels + c];
            }
        }
        finally
        {
            if (rentedSums is not null) ArrayPool<double>.Shared.Return(rentedSums);
        }
    }

    /// <summary>y = x · scale[c] + shift[c]; y may alias x.</summary>
    public static void Affine(ReadOnlyMemory<float> x, ReadOnlyMemory<float> scale, ReadOnlyMemory<float> shift, Memory<float> y, int channels)
    {
        int rows = Rows(x.Length, channels);
        Parallelism.ForChunks(rows, (r0, r1) => ElementwiseChannels.AffineRows(x.Span, scale.Span, shift.Span, y.Span, channels, r0, r1), channels);
    }

    /// <summary>z = a[c] · u + b[c] · v + d[c]; z may alias u or v.</summary>
    public static void Affine2(ReadOnlyMemory<float> u, ReadOnlyMemory<float> v, ReadOnlyMemory<float> a, ReadOnlyMemory<float> b, ReadOnlyMemory<float> d,
        Memory<float> z, int channels)
    {
        int rows = Rows(u.Length, channels);
        Parallelism.ForChunks(rows, (r0, r1) => ElementwiseChannels.Affine2Rows(u.Span, v.Span, a.Span, b.Span, d.Span, z.Span, channels, r0, r1), 2 * channels);
    }

    private static int Rows(int length, int channels)
    {
        if (channels <= 0 || length % channels != 0)
            throw new ArgumentException($"BatchNorm kernel: {length} values do not split into rows of {channels} channels.");
        return length / channels;
    }

    private static void ReduceRows(int rows, int width, RowAccumulator accumulate, Span<double> result)
    {
        result.Clear();
        if (rows == 0) return;
        int groups = Math.Clamp(rows / GroupRows, 1, MaxGroups);
        var partials = ArrayPool<double>.Shared.Rent(groups * width);
        try
        {
            Parallelism.ForChunks(groups, (g0, g1) =>
            {
                float[]? rented = width > 1024 ? ArrayPool<float>.Shared.Rent(width) : null;
                Span<float> acc = rented is null ? stackalloc float[width] : rented.AsSpan(0, width);
                for (int g = g0; g < g1; g++)
                {
                    var p = partials.AsSpan(g * width, width);
                    p.Clear();
                    int start = (int)((long)rows * g / groups), end = (int)((long)rows * (g + 1) / groups);
                    for (int b = start; b < end; b += BlockRows)
                    {
                        acc.Clear();
                        accumulate(b, Math.Min(b + BlockRows, end), acc);
                        for (int i = 0; i < width; i++) p[i] += acc[i];
                    }
                }
                if (rented is not null) ArrayPool<float>.Shared.Return(rented);
            }, costPerItem: (long)rows / groups * width);
            for (int g = 0; g < groups; g++)
                for (int i = 0; i < width; i++) result[i] += partials[g * width + i];
        }
        finally { ArrayPool<double>.Shared.Return(partials); }
    }
}
