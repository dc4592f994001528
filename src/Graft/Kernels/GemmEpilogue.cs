using System.Runtime.Intrinsics;

namespace Graft.Kernels;

/// <summary>
/// What a fused GEMM applies to each finished tile of C while it is still in L1: add a per-column bias, add a
/// residual matrix (the other input of an Add that followed the layer), then clamp to [Lo, Hi] (ReLU is [0, ∞),
/// ReLU6 [0, 6], no activation (−∞, ∞)). Null pointers skip a part. Columns are output channels, so lane j of
/// a vector holds channel c + j, and the bias loads at the same offset as the data.
/// </summary>
public unsafe struct GemmEpilogue
{
    public float* Bias;
    public float* Residual;
    public nint ResidualStride;
    public float Lo, Hi;

    public static GemmEpilogue Clamp(float lo, float hi) => new() { Lo = lo, Hi = hi };

    /// <summary>
    /// Applies the epilogue to rows [0, rows) × columns [0, cols) of C at <paramref name="c"/>; the tile's first
    /// row is row <paramref name="row"/> of the residual and its first column is column <paramref name="col"/>.
    /// </summary>
    public readonly void Apply(float* c, nint ldc, int rows, int cols, int row, int col)
    {
        float* bias = Bias == null ? null : Bias + col;
        float* res = Residual == null ? null : Residual + row * ResidualStride + col;
        for (int r = 0; r < rows; r++, c += ldc)
        {
            int j = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                var lo = Vector512.Create(Lo);
                var hi = Vector512.Create(Hi);
                for (; j + 16 <= cols; j += 16)
                {
                    var v = Vector512.Load(c + j);
                    if (bias != null) v += Vector512.Load(bias + j);
                    if (res != null) v += Vector512.Load(res + j);
                    Vector512.Min(Vector512.Max(v, lo), hi).Store(c + j);
                }
            }
            if (Vector256.IsHardwareAccelerated)
            {
                var lo = Vector256.Create(Lo);
                var hi = Vector256.Create(Hi);
                for (; j + 8 <= cols; j += 8)
                {
                    var v = Vector256.Load(c + j);
                    if (bias != null) v += Vector256.Load(bias + j);
                    if (res != null) v += Vector256.Load(res + j);
                    Vector256.Min(Vector256.Max(v, lo), hi).Store(c + j);
                }
            }
            for (; j < cols; j++) c[j] = Scalar(c[j], bias == null ? 0f : bias[j], res == null ? 0f : res[j], Lo, Hi);
            if (res != null) res += ResidualStride;
        }
    }

    /// <summary>The reference the vector paths are tested against.</summary>
    public static float Scalar(float acc, float bias, float residual, float lo, float hi) => MathF.Min(MathF.Max(acc + bias + residual, lo), hi);
}
