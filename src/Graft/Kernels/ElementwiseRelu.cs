using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Graft.Kernels;

/// <summary>
/// Keras's parameterized ReLU, checked in this order: f(x) = max if x ≥ max; x if x ≥ threshold;
/// slope · (x − threshold) otherwise. f'(x) is 0, 1 and slope on those pieces. No maximum is +∞.
/// The middle piece writes x + 0, which turns −0 into +0 and changes nothing else: with slope +0 and
/// threshold ≥ 0 the last piece writes −0 (or NaN), so f(x) tells which piece x was on and the gradient can be
/// taken from the output alone (<see cref="BackwardFromOutput(ReadOnlyMemory{float}, ReadOnlyMemory{float}, Memory{float}, float, float, float)"/>),
/// as PyTorch's in-place ReLU6 does, letting a training step drop the input.
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
                var r = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(v, vt), v + Vector512<float>.Zero, (v - vt) * vs);
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
                var r = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(v, vt), v + Vector256<float>.Zero, (v - vt) * vs);
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

    /// <summary>
    /// True when <see cref="BackwardFromOutput(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, float, float, float)"/>
    /// gives the same bits as <see cref="Backward(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, float, float, float)"/>:
    /// slope +0 (ReLU, ReLU6, thresholded ReLU), threshold ≥ 0, maximum above the threshold.
    /// </summary>
    public static bool CanUseOutput(float max, float slope, float threshold) =>
        BitConverter.SingleToInt32Bits(slope) == 0 && threshold >= 0 && max > threshold;

    public static void BackwardFromOutput(ReadOnlyMemory<float> y, ReadOnlyMemory<float> dy, Memory<float> dx, float max, float slope, float threshold) =>
        Parallelism.ForChunks(y.Length, (s, e) => BackwardFromOutput(y.Span[s..e], dy.Span[s..e], dx.Span[s..e], max, slope, threshold), 1);

    /// <summary>
    /// dx = dy · f'(x) from y = f(x), where <see cref="CanUseOutput"/>: y ≥ max is the top piece; y ≥ threshold
    /// and not −0 the middle one; −0 and NaN the bottom one. dx may alias dy (not y).
    /// </summary>
    public static void BackwardFromOutput(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, float max, float slope, float threshold)
    {
        if (dy.Length < y.Length || dx.Length < y.Length) throw new ArgumentException($"ReLU kernel: gradients have {dy.Length} and {dx.Length} values, output {y.Length}.");
        if (!CanUseOutput(max, slope, threshold)) throw new ArgumentException($"ReLU kernel: the gradient cannot be taken from the output for max {max}, slope {slope}, threshold {threshold}.");
        ref float yr = ref MemoryMarshal.GetReference(y);
        ref float gr = ref MemoryMarshal.GetReference(dy);
        ref float dr = ref MemoryMarshal.GetReference(dx);
        int i = 0, n = y.Length;
        if (Vector512.IsHardwareAccelerated)
        {
            var vm = Vector512.Create(max);
            var vs = Vector512.Create(slope);
            var vt = Vector512.Create(threshold);
            for (; i <= n - 16; i += 16)
            {
                var v = Vector512.LoadUnsafe(ref yr, (nuint)i);
                var g = Vector512.LoadUnsafe(ref gr, (nuint)i);
                var middle = Vector512.GreaterThanOrEqual(v, vt) & Vector512.GreaterThanOrEqual(v.AsInt32(), Vector512<int>.Zero).AsSingle();
                var r = Vector512.ConditionalSelect(middle, g, g * vs);
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
                var v = Vector256.LoadUnsafe(ref yr, (nuint)i);
                var g = Vector256.LoadUnsafe(ref gr, (nuint)i);
                var middle = Vector256.GreaterThanOrEqual(v, vt) & Vector256.GreaterThanOrEqual(v.AsInt32(), Vector256<int>.Zero).AsSingle();
                var r = Vector256.ConditionalSelect(middle, g, g * vs);
                Vector256.AndNot(r, Vector256.GreaterThanOrEqual(v, vm)).StoreUnsafe(ref dr, (nuint)i);
            }
        }
        for (; i < n; i++) Unsafe.Add(ref dr, i) = ScalarGradientFromOutput(Unsafe.Add(ref yr, i), Unsafe.Add(ref gr, i), max, slope, threshold);
    }

    public static float Scalar(float x, float max, float slope, float threshold) =>
        x >= max ? max : x >= threshold ? x + 0f : slope * (x - threshold);

    /// <summary>dy · f'(x) from y = f(x) (see <see cref="CanUseOutput"/>).</summary>
    public static float ScalarGradientFromOutput(float y, float dy, float max, float slope, float threshold) =>
        y >= max ? 0f : y >= threshold && BitConverter.SingleToInt32Bits(y) >= 0 ? dy : dy * slope;

    /// <summary>dy · f'(x), with an exact zero above the maximum (as the vector paths mask it).</summary>
    public static float ScalarGradient(float x, float dy, float max, float slope, float threshold) =>
        x >= max ? 0f : x >= threshold ? dy : dy * slope;
}
