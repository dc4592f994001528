using Graft.Losses;
using Graft.Tensors;

namespace Graft.Tests.Losses;

/// <summary>
/// Finite-difference checks of the losses' gradients: central differences (L(x + ε) − L(x − ε)) / 2ε with
/// ε = 1e-3 against the analytic dL/dx. Tolerance |a − n| ≤ 5e-4 + 1e-2·max(|a|, |n|): the loss comes back as a
/// float of size ~2, so its rounding (~2.4e-7) over 2ε adds ~1.2e-4 of noise, and the ε² truncation term stays
/// under ~1.5e-4 for probabilities ≥ 0.08 (the categorical loss's third derivative grows as 1/q³); a missing or
/// wrong term (a smoothing share s/C/N ≈ 3e-3, a class weight) is larger than the bound.
/// </summary>
public class LossGradientTests
{
    private const float Eps = 1e-3f, Atol = 5e-4f, Rtol = 1e-2f;

    public static TheoryData<string, float, bool> Cases()
    {
        var data = new TheoryData<string, float, bool>();
        foreach (var loss in new[] { "softmax", "categorical", "binary", "binary_logits" })
            foreach (var ls in new[] { 0f, 0.2f })
                foreach (var weighted in new[] { false, true })
                    if (!(weighted && loss.StartsWith("binary"))) data.Add(loss, ls, weighted);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void GradientMatchesFiniteDifferences(string kind, float labelSmoothing, bool weighted)
    {
        const int rows = 5, classes = 4;
        var rng = new Random(3);
        var weights = weighted ? new[] { 0.5f, 2f, 1f, 1.5f } : null;
        var x = new Tensor(new Shape(rows, classes));
        for (int i = 0; i < x.Length; i++)
            x[i] = kind switch
            {
                // Unnormalised probabilities kept in [0.5, 1.5]: normalised, each is ≥ 0.08 and far from the clip.
                "categorical" => 0.5f + (float)rng.NextDouble(),
                "binary" => 0.1f + 0.8f * (float)rng.NextDouble(),
                _ => (float)(rng.NextDouble() * 6 - 3),
            };
        int[] labels = kind.StartsWith("binary")
            ? Enumerable.Range(0, rows * classes).Select(_ => rng.Next(2)).ToArray()
            : Enumerable.Range(0, rows).Select(_ => rng.Next(classes)).ToArray();
        ILoss loss = kind switch
        {
            "softmax" => new SoftmaxCrossEntropy(labelSmoothing, weights),
            "categorical" => new CategoricalCrossEntropy(labelSmoothing, weights),
            "binary" => new BinaryCrossEntropy(fromLogits: false, labelSmoothing),
            _ => new BinaryCrossEntropy(fromLogits: true, labelSmoothing),
        };
        var grad = new Tensor(x.Shape);
        loss.Compute(x, labels, grad);
        var failures = new List<string>();
        for (int i = 0; i < x.Length; i++)
        {
            float saved = x[i];
            x[i] = saved + Eps;
            double up = loss.Compute(x, labels);
            x[i] = saved - Eps;
            double down = loss.Compute(x, labels);
            x[i] = saved;
            double numeric = (up - down) / (2 * Eps);
            if (Math.Abs(grad[i] - numeric) > Atol + Rtol * Math.Max(Math.Abs(grad[i]), Math.Abs(numeric)))
                failures.Add($"  x[{i}]: analytic {grad[i]:G6}, numeric {numeric:G6}");
        }
        Assert.True(failures.Count == 0, $"{kind} (ls {labelSmoothing}, weighted {weighted}):\n" + string.Join("\n", failures));
    }
}
