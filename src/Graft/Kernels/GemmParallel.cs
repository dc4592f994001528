namespace Graft.Kernels;

/// <summary>
/// Splits one GEMM into independent sub-GEMMs over contiguous row blocks of C (or column blocks when C is
/// wide and short, as in a Dense layer on a small batch), one per thread. Each thread packs its own copy of
/// the shared operand: that costs k·n (or m·k) copies against m·n·k / threads FMAs and needs no barriers.
/// The job object and its delegate are cached per calling thread, so a call allocates nothing of its own.
/// </summary>
internal sealed unsafe class GemmParallel
{
    [ThreadStatic] private static GemmParallel? t_job;

    private readonly Action<int, int> _body;
    private GemmPath _path;
    private bool _transA, _transB, _splitM;
    private int _m, _n, _k, _unit;
    private float _alpha, _beta;
    private float* _a, _b, _c;
    private nint _lda, _ldb, _ldc;

    private GemmParallel() => _body = Body;

    public static void Run(GemmPath path, bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, nint lda, float* b, nint ldb, float beta, float* c, nint ldc)
    {
        var bl = GemmBlocking.For(path);
        var job = t_job ??= new GemmParallel();
        int mUnits = (m + bl.Mr - 1) / bl.Mr, nUnits = (n + bl.Nr - 1) / bl.Nr;
        (job._path, job._transA, job._transB, job._m, job._n, job._k) = (path, transA, transB, m, n, k);
        (job._alpha, job._beta, job._lda, job._ldb, job._ldc) = (alpha, beta, lda, ldb, ldc);
        job._a = a;
        job._b = b;
        job._c = c;
        job._splitM = mUnits >= nUnits;
        job._unit = job._splitM ? bl.Mr : bl.Nr;
        // Cost per unit in multiply-adds / 16, so that about half a million of them are worth a thread.
        long cost = (long)job._unit * (job._splitM ? n : m) * k / 16;
        Parallelism.ForChunks(job._splitM ? mUnits : nUnits, job._body, Math.Max(1, cost));
        job._a = job._b = job._c = null;
    }

    private void Body(int start, int end)
    {
        if (_splitM)
        {
            int i0 = start * _unit, rows = Math.Min(end * _unit, _m) - i0;
            float* a = _transA ? _a + i0 : _a + i0 * _lda;
            GemmBlocked.Run(_path, _transA, _transB, rows, _n, _k, _alpha, a, _lda, _b, _ldb, _beta, _c + i0 * _ldc, _ldc);
        }
        else
        {
            int j0 = start * _unit, cols = Math.Min(end * _unit, _n) - j0;
            float* b = _transB ? _b + j0 * _ldb : _b + j0;
            GemmBlocked.Run(_path, _transA, _transB, _m, cols, _k, _alpha, _a, _lda, b, _ldb, _beta, _c + j0, _ldc);
        }
    }
}
