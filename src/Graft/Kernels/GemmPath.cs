using System.Runtime.Intrinsics;

namespace Graft.Kernels;

/// <summary>Which micro-kernel GEMM runs, and the cache blocking that goes with it.</summary>
internal enum GemmPath { Scalar, Vector128, Vector256, Vector512 }

/// <summary>
/// Tile (Mr × Nr) and cache block sizes of one path. Kc × Nr floats of B (one micro-panel) stay in L1 while
/// every A micro-panel of the Mc × Kc block (in L2) streams past them; the Kc × Nc block of B sits in L2/L3.
/// </summary>
internal readonly record struct GemmBlocking(int Mr, int Nr, int Kc, int Mc, int Nc)
{
    public static GemmPath Best { get; } =
        Vector512.IsHardwareAccelerated ? GemmPath.Vector512
        : Vector256.IsHardwareAccelerated ? GemmPath.Vector256
        : Vector128.IsHardwareAccelerated ? GemmPath.Vector128
        : GemmPath.Scalar;

    public static bool IsAccelerated(GemmPath path) => path switch
    {
        GemmPath.Vector512 => Vector512.IsHardwareAccelerated,
        GemmPath.Vector256 => Vector256.IsHardwareAccelerated,
        GemmPath.Vector128 => Vector128.IsHardwareAccelerated,
        _ => true,
    };

    public static GemmBlocking For(GemmPath path) => path switch
    {
        GemmPath.Vector512 => new(GemmKernel512.Mr, GemmKernel512.Nr, 256, GemmKernel512.Mr * 12, 2048),
        GemmPath.Vector256 => new(GemmKernel256.Mr, GemmKernel256.Nr, 256, GemmKernel256.Mr * 24, 2048),
        GemmPath.Vector128 => new(GemmKernel128.Mr, GemmKernel128.Nr, 256, GemmKernel128.Mr * 24, 2048),
        _ => new(GemmKernelScalar.Mr, GemmKernelScalar.Nr, 256, GemmKernelScalar.Mr * 32, 2048),
    };

    /// <summary>
    /// The K block of <see cref="GemmBlocked"/> (plain Sgemm) on the AVX-512 path, deeper than <see cref="Kc"/>.
    /// Each K block reads and writes all of C once, so a 4096² product makes 4 passes over its 64 MB of C
    /// instead of 16; the 14×32 tile's B micro-panel (128 KB) then streams from L2 rather than sitting in L1,
    /// which L2 keeps up with. Measured on Zen 5 (48 KB L1, 1 MB L2) at 4096²: 1024 about 8 % faster than 256,
    /// at 1024² no slower. The fused convolution path keeps <see cref="Kc"/>.
    /// </summary>
    public const int DeepKc512 = 1024;

    /// <summary>The widest tile of any path, for the on-stack edge tile.</summary>
    public const int MaxTile = GemmKernel512.Mr * GemmKernel512.Nr;
}
