using Graft.Layers;

namespace Graft.Optimizers;

/// <summary>
/// Adam with decoupled weight decay (Loshchilov &amp; Hutter): before Adam's step, w ← w·(1 − η·λ), where η is the
/// group's current learning rate, as in PyTorch and Keras; the gradient itself carries no decay term.
/// λ defaults to Keras's 0.004 (PyTorch: 0.01).
/// </summary>
public sealed class AdamW : Adam
{
    public AdamW(ParameterArena arena, float learningRate = 0.001f, float weightDecay = 0.004f, float beta1 = 0.9f, float beta2 = 0.999f,
        float epsilon = 1e-7f, IEnumerable<ParameterGroup>? groups = null)
        : base(arena, learningRate, beta1, beta2, epsilon, weightDecay, groups, decoupled: true) { }
}
