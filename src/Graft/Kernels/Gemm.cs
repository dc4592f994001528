namespace Graft.Kernels;

/// <summary>
/// Single-precision matrix multiply, row-major: C = alpha · op(A) · op(B) + beta · C, with op(A) of
/// size M×K and op(B) of size K×N. lda, ldb, ldc are row strides of the stored (untransposed) matrices.
/// beta = 0 overwrites C without reading it. Runs on up to <see cref="Parallelism.MaxThreads"/> threads.
/// </summary>
public static partial class Gemm
{
    public static void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        Sgemm(GemmBlocking.Best, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    /// <summary>Sgemm on a chosen micro-kernel path, so tests can reach every path on one machine.</summary>
    internal static unsafe void Sgemm(GemmPath path, bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        if (m < 0 || n < 0 || k < 0)
            throw new ArgumentException($"Sgemm sizes must be non-negative. Received: m={m}, n={n}, k={k}.");
        CheckOperand("A", a.Length, transA ? k : m, transA ? m : k, lda);
        CheckOperand("B", b.Length, transB ? n : k, transB ? k : n, ldb);
        CheckOperand("C", c.Length, m, n, ldc);
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0)
        {
            for (int i = 0; i < m; i++)
            {
                var row = c.Slice(i * ldc, n);
                if (beta == 0) row.Clear(); else if (beta != 1) TensorPrimitives.Multiply(row, beta, row);
            }
            return;
        }
        fixed (float* pa = a, pb = b, pc = c)
        {
            if (Parallelism.MaxThreads == 1)
                GemmBlocked.Run(path, transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
            else
                GemmParallel.Run(path, transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
        }
    }

    private static void CheckOperand(string name, int length, int rows, int cols, int ld)
    {
        if (rows == 0 || cols == 0) return;
        if (ld < cols)
            throw new ArgumentException($"Sgemm: leading dimension of {name} must be at least its row width {cols}. Received: {ld}.");
        long needed = (long)(rows - 1) * ld + cols;
        if (length < needed)
            throw new ArgumentException($"Sgemm: {name} ({rows}×{cols}, leading dimension {ld}) needs {needed} floats. Received: {length}.");
    }
}
