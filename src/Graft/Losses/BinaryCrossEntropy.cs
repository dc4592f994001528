using Graft.Tensors;

namespace Graft.Losses;

/// <summary>
/// Element-wise binary cross-entropy (Keras BinaryCrossentropy): one target in [0, 1] per output element,
/// averaged over all elements (Keras averages the last axis, then the batch). Label smoothing pulls targets
/// toward ½: y = y·(1 − s) + s/2. With <see cref="FromLogits"/> the loss is the stable
/// max(x, 0) − x·y + log(1 + e^−|x|); on probabilities it is Keras's clipped form
/// −(y·log(p + ε) + (1 − y)·log(1 − p + ε)) with p clipped to [ε, 1 − ε], ε = 1e-7.
/// </summary>
public sealed class BinaryCrossEntropy : ILoss
{
    public const float Epsilon = 1e-7f;

    public BinaryCrossEntropy(bool fromLogits = false, float labelSmoothing = 0f)
    {
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1))
            throw new ArgumentException($"Invalid value received for argument `labelSmoothing`. Expected a value in [0, 1]. Received: {labelSmoothing}.");
        FromLogits = fromLogits;
        LabelSmoothing = labelSmoothing;
    }

    public bool FromLogits { get; }
    public float LabelSmoothing { get; }

    /// <summary>Integer labels 0 or 1, one per output element (one per sample for an (N, 1) output).</summary>
    public float Compute(Tensor output, ReadOnlySpan<int> labels, Tensor? outputGrad = null)
    {
        foreach (int l in labels)
            if (l is not (0 or 1))
                throw new ArgumentException($"BinaryCrossEntropy takes labels 0 or 1. Received: {l}.");
        return Compute<int>(output, labels, outputGrad);
    }

    /// <summary>Targets in [0, 1], one per output element.</summary>
    public float Compute(Tensor output, ReadOnlySpan<float> targets, Tensor? outputGrad = null) => Compute<float>(output, targets, outputGrad);

    private float Compute<T>(Tensor output, ReadOnlySpan<T> targets, Tensor? outputGrad) where T : System.Numerics.INumberBase<T>
    {
        int n = output.Length;
        if (targets.Length != n)
            throw new ArgumentException($"BinaryCrossEntropy takes one target per output element. Expected {n} for output {output.Shape}. Received: {targets.Length}.");
        if (outputGrad is not null && outputGrad.Length != n)
            throw new ShapeMismatchException(nameof(BinaryCrossEntropy), output.Shape.ToString(), outputGrad.Shape.ToString(), "the gradient tensor must have the output's shape.");
        if (n == 0) return 0f;
        var x = output.Span;
        var g = outputGrad is null ? Span<float>.Empty : outputGrad.Span;
        float scale = 1f / n;
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            float y = float.CreateTruncating(targets[i]) * (1 - LabelSmoothing) + 0.5f * LabelSmoothing;
            float v = x[i];
            if (FromLogits)
            {
                total += Math.Max(v, 0f) - (double)v * y + Math.Log(1 + Math.Exp(-Math.Abs(v)));
                if (!g.IsEmpty) g[i] = (1f / (1f + MathF.Exp(-v)) - y) * scale;
            }
            else
            {
                float p = Math.Clamp(v, Epsilon, 1 - Epsilon);
                total -= y * Math.Log(p + Epsilon) + (1 - y) * Math.Log(1 - p + Epsilon);
                if (!g.IsEmpty)
                    g[i] = v >= Epsilon && v <= 1 - Epsilon ? (-y / (p + Epsilon) + (1 - y) / (1 - p + Epsilon)) * scale : 0f;
            }
        }
        return (float)(total / n);
    }
}
