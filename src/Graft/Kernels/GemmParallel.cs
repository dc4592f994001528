namespace Graft.Kernels;

/// <summary>
/// Splits one GEMM into independent sub-GEMMs, one per thread. Where the AVX-512 kernels read A in place
/// (row-major A), nothing of A is packed, so cutting C into column blocks costs no duplicate packing at all:
/// each block packs only its own columns of B. Those blocks are handed out dynamically (a shared counter), so a
/// thread that starts late or is preempted by other load takes fewer of them instead of holding up the call.
/// Otherwise C is cut into one contiguous row block per thread (column blocks when C is wide and short, as in
/// a Dense layer on a small batch) and each thread packs its own copy of the shared operand: k·n (or m·k)
/// copies against m·n·k / threads FMAs, and no barriers. Every element of C is computed the same way whatever
/// the split, so results are bit-identical for any thread count. The job object and its delegate are cached
/// per calling thread, so a call allocates nothing of its own.
/// </summary>
internal sealed unsafe class GemmParallel
{
    [ThreadStatic] private static GemmParallel? t_job;

    private readonly Action<int, int> _body;
    private GemmPath _path;
    private bool _transA, _transB, _splitM, _dynamic;
    private int _m, _n, _k, _unit, _chunkUnits, _chunks, _next;
    private float _alpha, _beta;
    private float* _a, _b, _c;
    private nint _lda, _ldb, _ldc;

    private GemmParallel() => _body = Body;

    public static void Run(GemmPath path, bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, nint lda, float* b, nint ldb, float beta, float* c, nint ldc)
    {
        var bl = GemmBlocked.Blocking(path);
        var job = t_job ??= new GemmParallel();
        int threads = Parallelism.MaxThreads;
        int mUnits = (m + bl.Mr - 1) / bl.Mr, nUnits = (n + bl.Nr - 1) / bl.Nr;
        (job._path, job._transA, job._transB, job._m, job._n, job._k) = (path, transA, transB, m, n, k);
        (job._alpha, job._beta, job._lda, job._ldb, job._ldc) = (alpha, beta, lda, ldb, ldc);
        job._a = a;
        job._b = b;
        job._c = c;
        // Column blocks of at least 8 panels (256 columns), about four per thread.
        job._dynamic = GemmBlocked.ReadsAInPlace(path, transA, lda) && nUnits >= 4 * threads;
        job._splitM = !job._dynamic && mUnits >= nUnits;
        job._unit = job._splitM ? bl.Mr : bl.Nr;
        int count = job._splitM ? mUnits : nUnits;
        long unitCost = (long)job._unit * (job._splitM ? n : m) * k / 16;
        if (job._dynamic)
        {
            job._chunkUnits = Math.Max(8, nUnits / (4 * threads));
            job._chunks = (nUnits + job._chunkUnits - 1) / job._chunkUnits;
            job._next = 0;
            count = job._chunks;
            unitCost *= job._chunkUnits;
        }
        // Cost per unit in multiply-adds / 16, so that about half a million of them are worth a thread.
        Parallelism.ForChunks(count, job._body, Math.Max(1, unitCost));
        job._a = job._b = job._c = null;
    }

    private void Body(int start, int end)
    {
        if (_dynamic)
        {
            // Every worker claims blocks until none are left, whatever range it was given.
            for (int i; (i = Interlocked.Increment(ref _next) - 1) < _chunks;)
                Columns(i * _chunkUnits, Math.Min((i + 1) * _chunkUnits, (_n + _unit - 1) / _unit));
        }
        else if (_splitM)
        {
            int i0 = start * _unit, rows = Math.Min(end * _unit, _m) - i0;
            float* a = _transA ? _a + i0 : _a + i0 * _lda;
            GemmBlocked.Run(_path, _transA, _transB, rows, _n, _k, _alpha, a, _lda, _b, _ldb, _beta, _c + i0 * _ldc, _ldc);
        }
        else Columns(start, end);
    }

    private void Columns(int start, int end)
    {
        int j0 = start * _unit, cols = Math.Min(end * _unit, _n) - j0;
        float* b = _transB ? _b + j0 * _ldb : _b + j0;
        GemmBlocked.Run(_path, _transA, _transB, _m, cols, _k, _alpha, _a, _lda, b, _ldb, _beta, _c + j0, _ldc);
    }
}
