using System.Runtime.InteropServices;

namespace Graft.Bench;

/// <summary>
/// cblas_sgemm from the system OpenBLAS (Debian libopenblas0), bound at run time so the benchmark still runs,
/// Graft alone, where the library is missing. OPENBLAS_CORETYPE must be in the process environment before the
/// library loads (bench/run-gemm.sh sets it): Debian's 0.3.21 does not recognise recent CPUs otherwise.
/// </summary>
internal sealed unsafe class OpenBlas
{
    private const int RowMajor = 101, NoTrans = 111, Trans = 112;

    private readonly delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> _sgemm;
    private readonly delegate* unmanaged<int, void> _setThreads;
    private readonly delegate* unmanaged<byte*> _config, _coreName;

    private OpenBlas(nint lib)
    {
        _sgemm = (delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)NativeLibrary.GetExport(lib, "cblas_sgemm");
        _setThreads = (delegate* unmanaged<int, void>)NativeLibrary.GetExport(lib, "openblas_set_num_threads");
        _config = (delegate* unmanaged<byte*>)NativeLibrary.GetExport(lib, "openblas_get_config");
        _coreName = (delegate* unmanaged<byte*>)NativeLibrary.GetExport(lib, "openblas_get_corename");
    }

    public static OpenBlas? TryLoad(out string why)
    {
        foreach (var name in new[] { "libopenblas.so.0", "libopenblas.so" })
            if (NativeLibrary.TryLoad(name, out var lib))
            {
                why = "";
                return new OpenBlas(lib);
            }
        why = "libopenblas.so.0 not found (Debian: apt-get install libopenblas0)";
        return null;
    }

    public string Config => Marshal.PtrToStringUTF8((nint)_config()) ?? "";

    public string CoreName => Marshal.PtrToStringUTF8((nint)_coreName()) ?? "";

    public void SetThreads(int n) => _setThreads(n);

    public void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha, float[] a, int lda, float[] b, int ldb, float beta, float[] c, int ldc)
    {
        fixed (float* pa = a, pb = b, pc = c)
            _sgemm(RowMajor, transA ? Trans : NoTrans, transB ? Trans : NoTrans, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
    }
}
