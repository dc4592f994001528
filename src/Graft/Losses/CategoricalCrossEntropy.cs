namespace Graft.Losses;

/// <summary>
/// Cross-entropy of probabilities (a model ending in a softmax layer) against integer labels, as Keras computes
/// it with from_logits=False: each row is first divided by its sum, then clipped to [ε, 1 − ε] with ε = 1e-7,
/// and loss = −Σ y·log(q). The gradient goes through the normalisation and, as TensorFlow's clip does, is zero
/// where a value was clipped. (Keras's sparse variant clips before normalising; the two agree whenever rows
/// sum to 1, as softmax outputs do.) Prefer <see cref="SoftmaxCrossEntropy"/> on logits where the model allows it:
/// the clip caps the loss of a confident mistake at −log ε ≈ 16.1 and stops its gradient.
/// </summary>
public sealed class CategoricalCrossEntropy : ClassificationLoss
{
    /// <summary>Keras's backend epsilon.</summary>
    public const float Epsilon = 1e-7f;

    public CategoricalCrossEntropy(float labelSmoothing = 0f, float[]? classWeights = null) : base(labelSmoothing, classWeights) { }

    protected override double Row(ReadOnlySpan<float> p, int label, float smoothing, Span<float> grad, float gradScale)
    {
        int c = p.Length;
        float sum = TensorPrimitives.Sum(p);
        float off = smoothing / c, on = 1 - smoothing + off;
        double loss = 0;
        // dL/dq_i = −y_i / q_i where q_i is unclipped; dq_i/dp_j = (δ_ij − q_i) / sum, so
        // dL/dp_j = (dL/dq_j − Σ_i dL/dq_i · q_i) / sum.
        double dot = 0;
        for (int i = 0; i < c; i++)
        {
            float y = i == label ? on : off;
            if (y == 0) { if (!grad.IsEmpty) grad[i] = 0; continue; }
            float q = p[i] / sum;
            float clipped = Math.Clamp(q, Epsilon, 1 - Epsilon);
            loss -= y * Math.Log(clipped);
            if (grad.IsEmpty) continue;
            float dq = q >= Epsilon && q <= 1 - Epsilon ? -y / clipped : 0f;
            grad[i] = dq;
            dot += (double)dq * q;
        }
        if (!grad.IsEmpty)
        {
            float scale = gradScale / sum;
            for (int j = 0; j < c; j++) grad[j] = (float)((grad[j] - dot) * scale);
        }
        return loss;
    }
}
