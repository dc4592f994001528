namespace Graft.Kernels;

/// <summary>
/// Global pooling over the spatial positions of each image. x: (N, P, C) with P = H·W; y: (N, C).
/// Average sums pixel rows with the vectorized channel kernels; max backward gives each channel's gradient
/// to the first position holding the maximum, found by comparing x with the stored output.
/// </summary>
public static class PoolingGlobal
{
    public static void AverageForward(ReadOnlyMemory<float> x, Memory<float> y, int batch, int positions, int channels)
    {
        Check(x.Length, y.Length, batch, positions, channels);
        Parallelism.ForChunks(batch, (n0, n1) =>
        {
            for (int n = n0; n < n1; n++)
            {
                var yn = y.Span.Slice(n * channels, channels);
                yn.Clear();
                ElementwiseChannels.AccumulateRows(x.Span.Slice(n * positions * channels, positions * channels), channels, 0, positions, yn);
                TensorPrimitives.Multiply(yn, 1f / positions, yn);
            }
        }, (long)positions * channels);
    }

    public static void AverageBackward(ReadOnlyMemory<float> dy, Memory<float> dx, int batch, int positions, int channels)
    {
        Check(dx.Length, dy.Length, batch, positions, channels);
        Parallelism.ForChunks(batch, (n0, n1) =>
        {
            for (int n = n0; n < n1; n++)
            {
                var g = dy.Span.Slice(n * channels, channels);
                for (int p = 0; p < positions; p++)
                    TensorPrimitives.Multiply(g, 1f / positions, dx.Span.Slice((n * positions + p) * channels, channels));
            }
        }, (long)positions * channels);
    }

    public static void MaxForward(ReadOnlyMemory<float> x, Memory<float> y, int batch, int positions, int channels)
    {
        Check(x.Length, y.Length, batch, positions, channels);
        if (positions == 0) { y.Span.Fill(float.NegativeInfinity); return; }
        Parallelism.ForChunks(batch, (n0, n1) =>
        {
            for (int n = n0; n < n1; n++)
            {
                var yn = y.Span.Slice(n * channels, channels);
                var xn = x.Span.Slice(n * positions * channels, positions * channels);
                xn[..channels].CopyTo(yn);
                for (int p = 1; p < positions; p++) TensorPrimitives.Max(yn, xn.Slice(p * channels, channels), yn);
            }
        }, (long)positions * channels);
    }

    /// <summary>Overwrites dx; <paramref name="y"/> is the output of <see cref="MaxForward"/> for the same x.</summary>
    public static void MaxBackward(ReadOnlyMemory<float> x, ReadOnlyMemory<float> y, ReadOnlyMemory<float> dy, Memory<float> dx, int batch, int positions, int channels)
    {
        Check(x.Length, y.Length, batch, positions, channels);
        Check(dx.Length, dy.Length, batch, positions, channels);
        Parallelism.ForChunks(batch, (n0, n1) =>
        {
            for (int n = n0; n < n1; n++)
            {
                var xn = x.Span.Slice(n * positions * channels, positions * channels);
                var dxn = dx.Span.Slice(n * positions * channels, positions * channels);
                dxn.Clear();
                for (int c = 0; c < channels; c++)
                {
                    float m = y.Span[n * channels + c];
                    for (int p = 0; p < positions; p++)
                        if (xn[p * channels + c] == m) { dxn[p * channels + c] = dy.Span[n * channels + c]; break; }
                }
            }
        }, (long)positions * channels);
    }

    private static void Check(int inLength, int outLength, int batch, int positions, int channels)
    {
        if (inLength != batch * positions * channels || outLength != batch * channels)
            throw new ArgumentException($"Global pooling kernel: expected {batch} × {positions} × {channels} input and {batch} × {channels} output values. Received: {inLength} and {outLength}.");
    }
}
