using System.Numerics;
using System.Runtime.InteropServices;
using Graft.Layers;

namespace Graft.Optimizers;

/// <summary>
/// Adam in PyTorch's form, with t the 1-based step:
/// g ← g + λ·w (L2, PyTorch Adam weight_decay);  m ← β1·m + (1 − β1)·g;  v ← β2·v + (1 − β2)·g²;
/// w ← w − η/(1 − β1^t) · m / (√v / √(1 − β2^t) + ε).
/// ε defaults to Keras's 1e-7 (PyTorch: 1e-8). Keras adds ε to √v before the bias correction of v, which is
/// PyTorch's form with ε/√(1 − β2^t): the two differ only while √v̂ is near ε.
/// </summary>
public class Adam : Optimizer
{
    private readonly bool _decoupled;

    public Adam(ParameterArena arena, float learningRate = 0.001f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-7f,
        float weightDecay = 0f, IEnumerable<ParameterGroup>? groups = null)
        : this(arena, learningRate, beta1, beta2, epsilon, weightDecay, groups, decoupled: false) { }

    private protected Adam(ParameterArena arena, float learningRate, float beta1, float beta2, float epsilon, float weightDecay,
        IEnumerable<ParameterGroup>? groups, bool decoupled)
        : base(arena, learningRate, weightDecay, groups, "momentum", "velocity")
    {
        if (!(beta1 >= 0 && beta1 < 1)) throw new ArgumentException($"Invalid value received for argument `beta1`. Expected a value in [0, 1). Received: {beta1}.");
        if (!(beta2 >= 0 && beta2 < 1)) throw new ArgumentException($"Invalid value received for argument `beta2`. Expected a value in [0, 1). Received: {beta2}.");
        if (!(epsilon > 0)) throw new ArgumentException($"Invalid value received for argument `epsilon`. Expected a positive value. Received: {epsilon}.");
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        _decoupled = decoupled;
    }

    public float Beta1 { get; }
    public float Beta2 { get; }
    public float Epsilon { get; }

    protected override void Update(ParameterSlice slice, float learningRate, float weightDecay)
    {
        long t = Iterations + 1;
        double bc1 = 1 - Math.Pow(Beta1, t), bc2 = 1 - Math.Pow(Beta2, t);
        float l2 = _decoupled ? 0f : weightDecay;
        float decay = _decoupled ? 1f - learningRate * weightDecay : 1f;
        Apply(slice.Values, slice.Grads, slice.Slot(0), slice.Slot(1), (float)(learningRate / bc1), (float)Math.Sqrt(bc2),
            Beta1, Beta2, Epsilon, l2, decay);
    }

    /// <summary>
    /// The rule over spans. <paramref name="decay"/> multiplies w first (AdamW's 1 − η·λ; 1 for Adam),
    /// <paramref name="l2"/> adds λ·w to the gradient (0 for AdamW).
    /// </summary>
    internal static void Apply(Span<float> w, ReadOnlySpan<float> g, Span<float> m, Span<float> v, float stepSize, float sqrtBc2,
        float beta1, float beta2, float epsilon, float l2, float decay)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            ref float rw = ref MemoryMarshal.GetReference(w);
            ref float rg = ref MemoryMarshal.GetReference(g);
            ref float rm = ref MemoryMarshal.GetReference(m);
            ref float rv = ref MemoryMarshal.GetReference(v);
            Vector<float> vB1 = new(beta1), vB1c = new(1 - beta1), vB2 = new(beta2), vB2c = new(1 - beta2);
            Vector<float> vStep = new(stepSize), vSqrtBc2 = new(sqrtBc2), vEps = new(epsilon), vL2 = new(l2), vDecay = new(decay);
            for (; i <= w.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var wi = Vector.LoadUnsafe(ref rw, (nuint)i);
                var gi = Vector.LoadUnsafe(ref rg, (nuint)i) + vL2 * wi;
                wi *= vDecay;
                var mi = vB1 * Vector.LoadUnsafe(ref rm, (nuint)i) + vB1c * gi;
                var vi = vB2 * Vector.LoadUnsafe(ref rv, (nuint)i) + vB2c * (gi * gi);
                mi.StoreUnsafe(ref rm, (nuint)i);
                vi.StoreUnsafe(ref rv, (nuint)i);
                (wi - vStep * (mi / (Vector.SquareRoot(vi) / vSqrtBc2 + vEps))).StoreUnsafe(ref rw, (nuint)i);
            }
        }
        ApplyScalar(w[i..], g[i..], m[i..], v[i..], stepSize, sqrtBc2, beta1, beta2, epsilon, l2, decay);
    }

    /// <summary>Reference for <see cref="Apply"/> and its tail.</summary>
    internal static void ApplyScalar(Span<float> w, ReadOnlySpan<float> g, Span<float> m, Span<float> v, float stepSize, float sqrtBc2,
        float beta1, float beta2, float epsilon, float l2, float decay)
    {
        for (int i = 0; i < w.Length; i++)
        {
            float gi = g[i] + l2 * w[i];
            float wi = w[i] * decay;
            float mi = beta1 * m[i] + (1 - beta1) * gi;
            float vi = beta2 * v[i] + (1 - beta2) * (gi * gi);
            m[i] = mi;
            v[i] = vi;
            w[i] = wi - stepSize * (mi / (MathF.Sqrt(vi) / sqrtBc2 + epsilon));
        }
    }
}
