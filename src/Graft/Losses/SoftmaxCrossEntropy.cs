namespace Graft.Losses;

/// <summary>
/// Cross-entropy of softmax(logits) against integer labels, fused (Keras SparseCategoricalCrossentropy with
/// from_logits=True; PyTorch F.cross_entropy). Stable for any logits: log-sum-exp is taken after subtracting the
/// row maximum. With smoothed targets y (Σy = 1): loss = logsumexp(z) − Σ y·z and dL/dz = softmax(z) − y.
/// Use it for models whose last layer outputs logits; <see cref="CategoricalCrossEntropy"/> takes probabilities.
/// </summary>
public sealed class SoftmaxCrossEntropy : ClassificationLoss
{
    public SoftmaxCrossEntropy(float labelSmoothing = 0f, float[]? classWeights = null) : base(labelSmoothing, classWeights) { }

    protected override double Row(ReadOnlySpan<float> z, int label, float smoothing, Span<float> grad, float gradScale)
    {
        int c = z.Length;
        float max = TensorPrimitives.Max(z);
        float sum;
        if (grad.IsEmpty)
        {
            sum = 0;
            foreach (float v in z) sum += MathF.Exp(v - max);
        }
        else
        {
            // The gradient row doubles as the scratch for exp(z − max).
            TensorPrimitives.Subtract(z, max, grad);
            TensorPrimitives.Exp(grad, grad);
            sum = TensorPrimitives.Sum(grad);
            TensorPrimitives.Multiply(grad, gradScale / sum, grad);
            if (smoothing > 0) TensorPrimitives.Subtract(grad, smoothing / c * gradScale, grad);
            grad[label] -= (1 - smoothing) * gradScale;
        }
        double logSumExp = max + Math.Log(sum);
        double targetDotZ = (1 - smoothing) * (double)z[label];
        if (smoothing > 0) targetDotZ += smoothing / c * (double)TensorPrimitives.Sum(z);
        return logSumExp - targetDotZ;
    }
}
