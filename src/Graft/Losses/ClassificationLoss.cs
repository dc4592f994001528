using Graft.Tensors;

namespace Graft.Losses;

/// <summary>
/// Shared bookkeeping of the categorical cross-entropies: one integer label per row of the output's last axis
/// (classes), so an (N, C) output has N rows and an (N, H, W, C) one has N·H·W. Label smoothing follows Keras's
/// CategoricalCrossentropy on one-hot labels: y = onehot·(1 − s) + s / C. Class weights follow Keras's
/// class_weight: a row counts ClassWeights[label] times, and the sum is still divided by the number of rows
/// (PyTorch's weighted "mean" divides by the sum of the weights instead).
/// </summary>
public abstract class ClassificationLoss : ILoss
{
    private readonly float _labelSmoothing;
    private readonly float[]? _classWeights;

    protected ClassificationLoss(float labelSmoothing, float[]? classWeights)
    {
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1))
            throw new ArgumentException($"Invalid value received for argument `labelSmoothing`. Expected a value in [0, 1]. Received: {labelSmoothing}.");
        if (classWeights is not null && classWeights.Any(w => !(w >= 0) || float.IsInfinity(w)))
            throw new ArgumentException($"Invalid value received for argument `classWeights`. Expected finite non-negative weights. Received: [{string.Join(", ", classWeights)}].");
        _labelSmoothing = labelSmoothing;
        _classWeights = classWeights?.ToArray();
    }

    public float LabelSmoothing => _labelSmoothing;
    /// <summary>Weight of each class (indexed by label), or null for all ones.</summary>
    public IReadOnlyList<float>? ClassWeights => _classWeights;

    public float Compute(Tensor output, ReadOnlySpan<int> labels, Tensor? outputGrad = null)
    {
        int classes = output.Shape.Rank == 0 ? 1 : output.Shape[-1];
        int rows = classes == 0 ? 0 : output.Length / classes;
        if (labels.Length != rows)
            throw new ArgumentException($"{GetType().Name} takes one label per row of the output's last axis. Expected {rows} labels for output {output.Shape}. Received: {labels.Length}.");
        if (outputGrad is not null && outputGrad.Length != output.Length)
            throw new ShapeMismatchException(GetType().Name, output.Shape.ToString(), outputGrad.Shape.ToString(), "the gradient tensor must have the output's shape.");
        if (_classWeights is not null && _classWeights.Length != classes)
            throw new ArgumentException($"{GetType().Name} has {_classWeights.Length} class weights but the output has {classes} classes. Expected one weight per class.");
        if (rows == 0) return 0f;

        var x = output.Span;
        var g = outputGrad is null ? Span<float>.Empty : outputGrad.Span;
        double total = 0;
        for (int r = 0; r < rows; r++)
        {
            int label = labels[r];
            if ((uint)label >= (uint)classes)
                throw new ArgumentException($"Label of row {r} is out of range. Expected 0 ≤ label < {classes} (the output's last axis). Received: {label}. Hint: labels are class indices, not one-hot vectors.");
            float weight = _classWeights?[label] ?? 1f;
            var gr = g.IsEmpty ? g : g.Slice(r * classes, classes);
            total += weight * Row(x.Slice(r * classes, classes), label, _labelSmoothing, gr, weight / rows);
        }
        return (float)(total / rows);
    }

    /// <summary>
    /// The unweighted loss of one row with smoothed target y; when <paramref name="grad"/> is not empty, writes
    /// <paramref name="gradScale"/> · d(row loss)/d(row) into it.
    /// </summary>
    protected abstract double Row(ReadOnlySpan<float> x, int label, float smoothing, Span<float> grad, float gradScale);
}
