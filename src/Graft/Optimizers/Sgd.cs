using System.Numerics;
using System.Runtime.InteropServices;
using Graft.Layers;

namespace Graft.Optimizers;

/// <summary>
/// Stochastic gradient descent with optional (Nesterov) momentum, in PyTorch's form:
/// g ← g + λ·w;  b ← μ·b + g;  d = nesterov ? g + μ·b : b;  w ← w − η·d.
/// Keras keeps v ← μ·v − η·g, w ← w + v instead: the same trajectory while η is constant, but PyTorch's buffer
/// holds no learning rate, so a schedule or ReduceLROnPlateau changes the step at once rather than letting old
/// velocity run on at the old rate. Weight decay λ is L2 added to the gradient (PyTorch weight_decay).
/// </summary>
public sealed class Sgd : Optimizer
{
    public Sgd(ParameterArena arena, float learningRate = 0.01f, float momentum = 0f, bool nesterov = false, float weightDecay = 0f,
        IEnumerable<ParameterGroup>? groups = null)
        : base(arena, learningRate, weightDecay, groups, momentum != 0 ? new[] { "momentum" } : Array.Empty<string>())
    {
        if (!(momentum >= 0 && momentum < 1))
            throw new ArgumentException($"Invalid value received for argument `momentum`. Expected a value in [0, 1). Received: {momentum}.");
        if (nesterov && momentum == 0)
            throw new ArgumentException("Nesterov momentum needs `momentum` > 0. Received: momentum 0, nesterov true.");
        Momentum = momentum;
        Nesterov = nesterov;
    }

    public float Momentum { get; }
    public bool Nesterov { get; }

    protected override void Update(ParameterSlice slice, float learningRate, float weightDecay)
    {
        var buffer = Momentum != 0 ? slice.Slot(0) : Span<float>.Empty;
        Apply(slice.Values, slice.Grads, buffer, learningRate, Momentum, Nesterov, weightDecay);
    }

    /// <summary>The rule over spans; <paramref name="buffer"/> is empty when momentum is 0.</summary>
    internal static void Apply(Span<float> w, ReadOnlySpan<float> g, Span<float> buffer, float lr, float momentum, bool nesterov, float weightDecay)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && momentum != 0)
        {
            ref float rw = ref MemoryMarshal.GetReference(w);
            ref float rg = ref MemoryMarshal.GetReference(g);
            ref float rb = ref MemoryMarshal.GetReference(buffer);
            var vLr = new Vector<float>(lr);
            var vMu = new Vector<float>(momentum);
            var vWd = new Vector<float>(weightDecay);
            for (; i <= w.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var wi = Vector.LoadUnsafe(ref rw, (nuint)i);
                var gi = Vector.LoadUnsafe(ref rg, (nuint)i) + vWd * wi;
                var b = vMu * Vector.LoadUnsafe(ref rb, (nuint)i) + gi;
                b.StoreUnsafe(ref rb, (nuint)i);
                var d = nesterov ? gi + vMu * b : b;
                (wi - vLr * d).StoreUnsafe(ref rw, (nuint)i);
            }
        }
        else if (Vector.IsHardwareAccelerated)
        {
            ref float rw = ref MemoryMarshal.GetReference(w);
            ref float rg = ref MemoryMarshal.GetReference(g);
            var vLr = new Vector<float>(lr);
            var vWd = new Vector<float>(weightDecay);
            for (; i <= w.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var wi = Vector.LoadUnsafe(ref rw, (nuint)i);
                var gi = Vector.LoadUnsafe(ref rg, (nuint)i) + vWd * wi;
                (wi - vLr * gi).StoreUnsafe(ref rw, (nuint)i);
            }
        }
        ApplyScalar(w[i..], g[i..], momentum != 0 ? buffer[i..] : buffer, lr, momentum, nesterov, weightDecay);
    }

    /// <summary>Reference for <see cref="Apply"/> and its tail.</summary>
    internal static void ApplyScalar(Span<float> w, ReadOnlySpan<float> g, Span<float> buffer, float lr, float momentum, bool nesterov, float weightDecay)
    {
        for (int i = 0; i < w.Length; i++)
        {
            float gi = g[i] + weightDecay * w[i];
            if (momentum != 0)
            {
                float b = momentum * buffer[i] + gi;
                buffer[i] = b;
                gi = nesterov ? gi + momentum * b : b;
            }
            w[i] -= lr * gi;
        }
    }
}
