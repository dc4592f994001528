using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Graft.Kernels;

/// <summary>
/// Keras's parameterized ReLU, checked in this order: f(x) = max if x ≥ max; x if x ≥ threshold;
/// slope · (x − threshold) otherwise. f'(x) is 0, 1 and slope on those pieces. No maximum is +∞.
/// Vector lanes are independent elements; Vector512, then Vector256, then a scalar tail.
/// </summary>
public static class ElementwiseRelu
{
    public static void Forward(ReadOnlyMemory<float> x, Memory<float> y, float max, float slope, float threshold) =>
        Parallelism.ForChunks(x.Length, (s, e) => Forward(x.Span[s..e], y.Span[s..e], max, slope, threshold), 1);

    public static void Backward(ReadOnlyMemory<float> x, ReadOnlyMemory<float> dy, Memory<float> dx, float max, float slope, float threshold) =>
        Parallelism.ForChunks(x.Length, (s, e) => Backward(x.Span[s..e], dy.Span[s..e], dx.Span[s..e], max, slope, threshold), 1);

    /// <summary>y may alias x.</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, float max, float slope, float threshold)
    {
        if (y.Length < x.Length) throw new ArgumentException($"ReLU kernel: output has {y.Length} values, input {x.Length}.");
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float yr = ref MemoryMarshal.GetReference(y);
        int i = 0, n = x.Length;
        if (Vector512.IsHardwareAccelerated)
        {
            var vm = Vector512.Create(max);
            var vs = Vector512.Create(slope);
            var vt = Vector512.Create(threshold);
            for (; i <= n - 16; i += 16)
            {
                var v = Vector512.LoadUnsafe(ref xr, (nuint)i);
                var r = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(v, vt), v, (v - vt) * vs);
                Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(v, vm), vm, r).StoreUnsafe(ref yr, (nuint)i);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            var vm = Vector256.Create(max);
            var vs = Vector256.Create(slope);
            var vt = Vector256.Create(threshold);
            for (; i <= n - 8; i += 8)
            {
                var v = Vector256.LoadUnsafe(ref xr, (nuint)i);
                var r = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(v, vt), v, (v - vt) * vs);
                Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(v, vm), vm, r).StoreUnsafe(ref yr, (nuint)i);
            }
        }
        for (; i < n; i++) Unsafe.Add(ref yr, i) = Scalar(Unsafe.Add(ref xr, i), max, slope, threshold);
    }

    /// <summary>dx = dy · f'(x); dx may alias dy.</summary>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, float max, float slope, float threshold)
    {
        if (dy.Length < x.Length || dx.Length < x.Length) throw new ArgumentException($"ReLU kernel: gradients have {dy.Length} and {dx.Length} values, input {x.Length}.");
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float gr = ref MemoryMarshal.GetReference(dy);
        ref float dr = ref MemoryMarshal.GetReference(dx);
        int i = 0, n = x.Length;
        if (Vector512.IsHardwareAccelerated)
        {
            var vm = Vector512.Create(max);
            var vs = Vector512.Create(slope);
            var vt = Vector512.Create(threshold);
            for (; i <= n - 16; i += 16)
            {
                var v = Vector512.LoadUnsafe(ref xr, (nuint)i);
                var g = Vector512.LoadUnsafe(ref gr, (nuint)i);
                var r = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(v, vt), g, g * vs);
                Vector512.AndNot(r, Vector512.GreaterThanOrEqual(v, vm)).StoreUnsafe(ref dr, (nuint)i);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            var vm = Vector256.Create(max);
            var vs = Vector256.Create(slope);
            var vt = Vector256.Create(threshold);
            for (; i <= n - 8; i += 8)
            {
                var v = Vector256.LoadUnsafe(ref xr, (nuint)i);
                var g = Vector256.LoadUnsafe(ref gr, (nuint)i);
                var r = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(v, vt), g, g * vs);
                Vector256.AndNot(r, Vector256.GreaterThanOrEqual(v, vm)).StoreUnsafe(ref dr, (nuint)i);
            }
        }
        for (; i < n; i++) Unsafe.Add(ref dr, i) = ScalarGradient(Unsafe.Add(ref xr, i), Unsafe.Add(ref gr, i), max, slope, threshold);
    }

    public static float Scalar(float x, float max, float slope, float threshold) =>
        x >= max ? max : x >= threshold ? x : slope * (x - threshold);

    /// <summary>dy · f'(x), with an exact zero above the maximum (as the vector paths mask it).</summary>
    public static float ScalarGradient(float x, float dy, float max, float slope, float threshold) =>
        x >= max ? 0f : x >= threshold ? dy : dy * slope;
}
