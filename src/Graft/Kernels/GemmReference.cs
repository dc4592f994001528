
namespace Graft.Kernels;

public static partial class Gemm
{
    /// <summary>The plain loop every fast path is tested against.</summary>
    public static void Reference(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        Span<float> bRow = n <= 4096 ? stackalloc float[n] : new float[n];
        for (int i = 0; i < m; i++)
        {
            var cRow = c.Slice(i * ldc, n);
            if (beta == 0) cRow.Clear(); else if (beta != 1) TensorPrimitives.Multiply(cRow, beta, cRow);
            for (int p = 0; p < k; p++)
            {
                float av = alpha * (transA ? a[p * lda + i] : a[i * lda + p]);
                if (av == 0) continue;
                if (!transB)
                    TensorPrimitives.MultiplyAdd(b.Slice(p * ldb, n), av, cRow, cRow);
                else
                {
                    for (int j = 0; j < n; j++) bRow[j] = b[j * ldb + p];
                    TensorPrimitives.MultiplyAdd(bRow, av, cRow, cRow);
                }
            }
        }
    }
}
