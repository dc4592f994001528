using Graft.Layers;
using Graft.Tensors;

namespace Graft.Tests.Support;

/// <summary>
/// Finite-difference gradient check for a single layer. The loss is L = Σ r ⊙ y with a fixed random r, so
/// dL/dy = r. Analytic gradients from Backward are compared with central differences
/// (L(x + ε) − L(x − ε)) / 2ε, with L summed in double precision.
/// Tolerance: |analytic − numeric| ≤ Atol + Rtol · max(|analytic|, |numeric|), Atol = Rtol = 1e-2 with
/// ε = 1e-2 by default: float32 forward passes round at about 1e-7 relative, so differences of O(1) losses
/// carry about 1e-5 absolute noise, far under the bound, while a wrong gradient term is off by O(1).
/// </summary>
public static class GradientCheck
{
    public sealed record Options
    {
        public float Epsilon { get; init; } = 1e-2f;
        public float Atol { get; init; } = 1e-2f;
        public float Rtol { get; init; } = 1e-2f;
        /// <summary>At most this many elements of each input and weight are probed (chosen at random).</summary>
        public int MaxProbes { get; init; } = 48;
        public bool Training { get; init; } = true;
        public int Seed { get; init; } = 1;
        /// <summary>Inputs are drawn uniformly from [-Range, Range].</summary>
        public float Range { get; init; } = 1f;
        /// <summary>Called before every forward pass (e.g. to re-seed a dropout mask).</summary>
        public Action? BeforeForward { get; init; }
    }

    /// <summary>Builds <paramref name="layer"/> for the given batched input shapes and checks its gradients.</summary>
    public static void Check(Layer layer, Shape[] batchedInputShapes, Options? options = null, Tensor[]? inputs = null)
    {
        var o = options ?? new Options();
        var rng = new Random(o.Seed);
        layer.Build(batchedInputShapes.Select(s => s.WithoutBatch()).ToArray(), new Random(o.Seed + 1));
        // Move weights off their initial values (zeros, ones) so that every term of the gradient matters.
        foreach (var p in layer.Parameters)
        {
            var v = p.Value.Span;
            for (int i = 0; i < v.Length; i++) v[i] += (float)(rng.NextDouble() - 0.5) * 0.5f;
            if (p.Name is "moving_variance" or "gamma_positive")
                for (int i = 0; i < v.Length; i++) v[i] = Math.Abs(v[i]) + 0.5f;
        }
        inputs ??= batchedInputShapes.Select(s => Random(s, rng, o.Range)).ToArray();
        var outShape = layer.OutputShape.WithBatch(batchedInputShapes[0][0]);
        var r = Random(outShape, rng, 1f);

        var output = new Tensor(outShape);
        o.BeforeForward?.Invoke();
        layer.Forward(inputs, output, o.Training);
        foreach (var p in layer.Parameters) p.Grad.Clear();
        var inputGrads = inputs.Select(x => (Tensor?)new Tensor(x.Shape)).ToArray();
        layer.Backward(inputs, output, r, inputGrads);

        double Loss()
        {
            var y = new Tensor(outShape);
            o.BeforeForward?.Invoke();
            layer.Forward(inputs, y, o.Training);
            double s = 0;
            for (int i = 0; i < y.Length; i++) s += (double)y[i] * r[i];
            return s;
        }

        var failures = new List<string>();
        for (int t = 0; t < inputs.Length; t++)
            Probe($"input {t}", inputs[t], inputGrads[t]!, Loss, o, rng, failures);
        foreach (var p in layer.Parameters.Where(p => p.IsTrainableWeight))
            Probe(p.FullName, p.Value, p.Grad, Loss, o, rng, failures);
        if (failures.Count > 0)
            throw new Xunit.Sdk.XunitException($"Gradient check failed for {layer} on {string.Join(", ", batchedInputShapes.Select(s => s.ToString()))}:\n" + string.Join("\n", failures.Take(12)));
    }

    private static void Probe(string what, Tensor value, Tensor analytic, Func<double> loss, Options o, Random rng, List<string> failures)
    {
        int n = value.Length;
        var indices = n <= o.MaxProbes ? Enumerable.Range(0, n) : Enumerable.Range(0, o.MaxProbes).Select(_ => rng.Next(n)).Distinct();
        foreach (int i in indices)
        {
            float saved = value[i];
            value[i] = saved + o.Epsilon;
            double up = loss();
            value[i] = saved - o.Epsilon;
            double down = loss();
            value[i] = saved;
            double numeric = (up - down) / (2 * o.Epsilon);
            double a = analytic[i];
            if (Math.Abs(a - numeric) > o.Atol + o.Rtol * Math.Max(Math.Abs(a), Math.Abs(numeric)))
                failures.Add($"  {what}[{i}]: analytic {a:G6}, numeric {numeric:G6}");
        }
    }

    public static Tensor Random(Shape shape, Random rng, float range)
    {
        var t = new Tensor(shape);
        for (int i = 0; i < t.Length; i++) t[i] = (float)((rng.NextDouble() * 2 - 1) * range);
        return t;
    }
}
