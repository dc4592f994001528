namespace Graft.Data.Transforms;

/// <summary>
/// For one axis: which source samples each destination sample reads (First, Count) and with what weights
/// (Weights[i · Stride + k]). Separable resizing applies one table per axis.
/// </summary>
internal sealed class ResizeWeights
{
    public required int[] First { get; init; }
    public required int[] Count { get; init; }
    public required float[] Weights { get; init; }
    public required int Stride { get; init; }

    /// <summary>True when destination i is exactly source i (no work on this axis).</summary>
    public bool IsIdentity { get; init; }

    public static ResizeWeights Create(int inSize, double in0, double in1, int outSize, ResizeMethod method) =>
        method == ResizeMethod.Antialiased ? Antialiased(inSize, in0, in1, outSize) : TwoTap(inSize, in0, in1, outSize, method);

    /// <summary>Pillow's precompute_coeffs with the bilinear (triangle) filter, computed in double and normalised.</summary>
    private static ResizeWeights Antialiased(int inSize, double in0, double in1, int outSize)
    {
        double scale = (in1 - in0) / outSize;
        double filterScale = Math.Max(scale, 1.0);
        double support = filterScale; // the triangle's support is 1, widened when shrinking
        int stride = (int)Math.Ceiling(support) * 2 + 1;
        var first = new int[outSize];
        var count = new int[outSize];
        var weights = new float[outSize * stride];
        Span<double> k = stackalloc double[stride];
        for (int i = 0; i < outSize; i++)
        {
            double center = in0 + (i + 0.5) * scale;
            int min = Math.Max((int)(center - support + 0.5), 0);
            int max = Math.Min((int)(center + support + 0.5), inSize) - min;
            max = Math.Clamp(max, 0, stride);
            double total = 0;
            for (int x = 0; x < max; x++)
            {
                double t = Math.Abs((x + min - center + 0.5) / filterScale);
                k[x] = t < 1 ? 1 - t : 0;
                total += k[x];
            }
            for (int x = 0; x < max; x++) weights[i * stride + x] = (float)(total != 0 ? k[x] / total : 0);
            first[i] = min;
            count[i] = max;
        }
        bool identity = in0 == 0 && in1 == inSize && inSize == outSize;
        return new ResizeWeights { First = first, Count = count, Weights = weights, Stride = stride, IsIdentity = identity };
    }

    private static ResizeWeights TwoTap(int inSize, double in0, double in1, int outSize, ResizeMethod method)
    {
        var first = new int[outSize];
        var count = new int[outSize];
        var weights = new float[outSize * 2];
        double scale = (in1 - in0) / outSize;
        for (int i = 0; i < outSize; i++)
        {
            double src = method switch
            {
                ResizeMethod.HalfPixel => in0 + (i + 0.5) * scale - 0.5,
                ResizeMethod.AlignCorners => outSize > 1 ? in0 + i * (in1 - in0 - 1) / (outSize - 1) : in0,
                _ => in0 + i * scale,
            };
            double f = Math.Floor(src);
            double frac = src - f;
            int lo = Math.Clamp((int)f, 0, inSize - 1), hi = Math.Clamp((int)f + 1, 0, inSize - 1);
            if (hi == lo || frac == 0)
            {
                first[i] = lo;
                count[i] = 1;
                weights[2 * i] = 1;
            }
            else
            {
                first[i] = lo;
                count[i] = 2;
                weights[2 * i] = (float)(1 - frac);
                weights[2 * i + 1] = (float)frac;
            }
        }
        bool identity = in0 == 0 && in1 == inSize && inSize == outSize && method != ResizeMethod.AlignCorners;
        return new ResizeWeights { First = first, Count = count, Weights = weights, Stride = 2, IsIdentity = identity };
    }
}
