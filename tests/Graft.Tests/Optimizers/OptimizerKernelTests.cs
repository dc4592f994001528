using Graft.Optimizers;

namespace Graft.Tests.Optimizers;

/// <summary>
/// The vectorised update loops against their scalar references over lengths 0..257, so every tail is
/// exercised; graft.sh reruns this category with AVX-512, AVX2 and all intrinsics switched off. Tolerance
/// 1e-6 relative: the vector path may fuse multiply-adds and round differently by an ulp or two.
/// </summary>
[Trait("Category", "Kernels")]
public class OptimizerKernelTests
{
    private static float[] Random(Random rng, int n, float lo = -1, float hi = 1) =>
        Enumerable.Range(0, n).Select(_ => lo + (hi - lo) * (float)rng.NextDouble()).ToArray();

    private static void Close(float[] expected, float[] actual, string what)
    {
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-6f * Math.Max(1, Math.Abs(expected[i])),
                $"{what}[{i}] of {expected.Length}: expected {expected[i]:G9}, got {actual[i]:G9}");
    }

    [Fact]
    public void SgdMatchesScalarReference()
    {
        var rng = new Random(5);
        for (int n = 0; n <= 257; n++)
            foreach (var (mu, nesterov) in new[] { (0f, false), (0.9f, false), (0.9f, true) })
            {
                var w = Random(rng, n); var g = Random(rng, n); var b = Random(rng, n);
                var (w2, b2) = (w.ToArray(), b.ToArray());
                Sgd.Apply(w, g, mu != 0 ? b : Span<float>.Empty, 0.1f, mu, nesterov, 0.01f);
                Sgd.ApplyScalar(w2, g, mu != 0 ? b2 : Span<float>.Empty, 0.1f, mu, nesterov, 0.01f);
                Close(w2, w, $"sgd μ={mu} nesterov={nesterov} w");
                Close(b2, b, "sgd buffer");
            }
    }

    [Fact]
    public void AdamMatchesScalarReference()
    {
        var rng = new Random(6);
        for (int n = 0; n <= 257; n++)
            foreach (var (l2, decay) in new[] { (0f, 1f), (0.1f, 1f), (0f, 0.999f) })
            {
                var w = Random(rng, n); var g = Random(rng, n); var m = Random(rng, n); var v = Random(rng, n, 0, 1);
                var (w2, m2, v2) = (w.ToArray(), m.ToArray(), v.ToArray());
                Adam.Apply(w, g, m, v, 0.01f, 0.3f, 0.9f, 0.999f, 1e-7f, l2, decay);
                Adam.ApplyScalar(w2, g, m2, v2, 0.01f, 0.3f, 0.9f, 0.999f, 1e-7f, l2, decay);
                Close(w2, w, "adam w");
                Close(m2, m, "adam m");
                Close(v2, v, "adam v");
            }
    }
}
