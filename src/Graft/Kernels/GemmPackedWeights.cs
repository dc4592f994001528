using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Graft.Kernels;

/// <summary>
/// The right operand B (K×N, row-major) of GEMMs that run many times with the same B, such as a convolution's
/// weights in an inference plan: packed once into the micro-kernel layout of one path, so each call only packs A.
/// K is cut into equal blocks of at most the path's Kc; block b holds ceil(N/Nr) panels, panel j being the
/// kc×Nr sub-matrix of columns [j·Nr, j·Nr + Nr) stored k-major (as <see cref="GemmPacking.PackB"/> writes it),
/// zero-padded past N. The buffer is pinned, so the kernels keep raw pointers into it.
/// </summary>
public sealed unsafe class GemmPackedWeights
{
    private const int AlignFloats = 16;
    private readonly float[] _data;
    private readonly int[] _blockOffsets;
    private readonly nint _base;

    public GemmPackedWeights(ReadOnlySpan<float> b, int k, int n) : this(b, k, n, GemmBlocking.Best) { }

    internal GemmPackedWeights(ReadOnlySpan<float> b, int k, int n, GemmPath path)
    {
        if (k <= 0 || n <= 0 || b.Length < (long)k * n)
            throw new ArgumentException($"Packed GEMM weights need a K×N matrix with K, N > 0. Received: K={k}, N={n}, {b.Length} values.");
        Path = path;
        Blocking = GemmBlocking.For(path);
        K = k;
        N = n;
        BlockCount = (k + Blocking.Kc - 1) / Blocking.Kc;
        BlockK = (k + BlockCount - 1) / BlockCount;
        int paddedN = (n + Blocking.Nr - 1) / Blocking.Nr * Blocking.Nr;
        _blockOffsets = new int[BlockCount];
        _data = GC.AllocateUninitializedArray<float>(k * paddedN + AlignFloats, pinned: true);
        nint p = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_data));
        _base = (p + AlignFloats * sizeof(float) - 1) & ~(nint)(AlignFloats * sizeof(float) - 1);
        fixed (float* pb = b)
        {
            for (int blk = 0, offset = 0; blk < BlockCount; blk++)
            {
                int p0 = blk * BlockK, kc = Math.Min(BlockK, k - p0);
                _blockOffsets[blk] = offset;
                GemmPacking.PackB(false, pb, n, p0, kc, 0, n, Blocking.Nr, (float*)_base + offset);
                offset += kc * paddedN;
            }
        }
    }

    internal GemmPath Path { get; }
    internal GemmBlocking Blocking { get; }
    public int K { get; }
    public int N { get; }
    /// <summary>Rows of K per block (the last block may be shorter).</summary>
    public int BlockK { get; }
    public int BlockCount { get; }

    /// <summary>The packed panels of K block <paramref name="block"/>; panel j starts j·Nr·kc floats in.</summary>
    internal float* Block(int block) => (float*)_base + _blockOffsets[block];

    /// <summary>Keeps the pinned buffer alive while raw pointers into it are in use.</summary>
    internal void KeepAlive() => GC.KeepAlive(_data);
}
