using Graft.Tensors;

namespace Graft.Layers;

/// <summary>
/// Packs parameters into one contiguous block of values and one of gradients, so that optimizers and
/// gradient clipping run as single SIMD loops and zeroing gradients is one clear.
/// </summary>
public sealed class ParameterArena
{
    public ParameterArena(IEnumerable<Parameter> parameters)
    {
        Parameters = parameters.ToArray();
        long total = 0;
        foreach (var p in Parameters) total += p.Shape.Size;
        if (total > int.MaxValue) throw new InvalidOperationException($"{total} parameters do not fit in one arena.");
        Values = new float[total];
        Grads = new float[total];
        Offsets = new int[Parameters.Count];
        int offset = 0;
        for (int i = 0; i < Parameters.Count; i++)
        {
            var p = Parameters[i];
            Offsets[i] = offset;
            var v = new Tensor(p.Shape, Values, offset);
            p.Value.Span.CopyTo(v.Span);
            var g = new Tensor(p.Shape, Grads, offset);
            p.Grad.Span.CopyTo(g.Span);
            p.Value = v;
            p.Grad = g;
            offset += p.Shape.Size;
        }
    }

    public IReadOnlyList<Parameter> Parameters { get; }
    public float[] Values { get; }
    public float[] Grads { get; }
    /// <summary>Start of each parameter in <see cref="Values"/> and <see cref="Grads"/>.</summary>
    public int[] Offsets { get; }

    public void ZeroGrad() => Array.Clear(Grads);
}
