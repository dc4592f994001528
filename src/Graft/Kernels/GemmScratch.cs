using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Graft.Kernels;

/// <summary>
/// Per-thread packing buffers for GEMM, grown on demand and then reused, so steady-state calls allocate nothing.
/// They live on the pinned object heap, which lets the kernels hold raw pointers and lets a dead thread's
/// buffers be collected. Addresses are rounded up to 64 bytes so every packed row starts on a cache line.
/// </summary>
internal static unsafe class GemmScratch
{
    private const int AlignFloats = 16;

    [ThreadStatic] private static float[]? t_a;
    [ThreadStatic] private static float[]? t_b;

    public static float* A(int floats) => Get(ref t_a, floats);

    public static float* B(int floats) => Get(ref t_b, floats);

    private static float* Get(ref float[]? buffer, int floats)
    {
        if (buffer is null || buffer.Length < floats + AlignFloats)
            buffer = GC.AllocateUninitializedArray<float>(floats + AlignFloats, pinned: true);
        nint p = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
        return (float*)((p + AlignFloats * sizeof(float) - 1) & ~(nint)(AlignFloats * sizeof(float) - 1));
    }
}
