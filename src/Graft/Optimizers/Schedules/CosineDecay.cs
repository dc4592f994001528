namespace Graft.Optimizers.Schedules;

/// <summary>
/// Cosine decay with optional linear warmup, as Keras's CosineDecay. Without warmup the rate falls from
/// <see cref="InitialLearningRate"/> to α·η₀ over <see cref="DecaySteps"/> along half a cosine. With a
/// <see cref="WarmupTarget"/>, it first rises linearly from <see cref="InitialLearningRate"/> (often 0) to the
/// target over <see cref="WarmupSteps"/>, then decays from the target. It stays at its final value afterwards.
/// </summary>
public sealed class CosineDecay : LearningRateSchedule
{
    public CosineDecay(float initialLearningRate, long decaySteps, float alpha = 0f, long warmupSteps = 0, float? warmupTarget = null)
    {
        CheckNonNegative(nameof(initialLearningRate), initialLearningRate);
        CheckPositive(nameof(decaySteps), decaySteps);
        CheckNonNegative(nameof(alpha), alpha);
        CheckNonNegative(nameof(warmupSteps), warmupSteps);
        if (warmupTarget is { } t) CheckNonNegative(nameof(warmupTarget), t);
        InitialLearningRate = initialLearningRate;
        DecaySteps = decaySteps;
        Alpha = alpha;
        WarmupSteps = warmupTarget is null ? 0 : warmupSteps;
        WarmupTarget = warmupTarget;
    }

    public float InitialLearningRate { get; }
    public long DecaySteps { get; }
    /// <summary>The final rate as a fraction of the rate decay starts from.</summary>
    public float Alpha { get; }
    public long WarmupSteps { get; }
    public float? WarmupTarget { get; }

    public override float At(long step)
    {
        double s = Math.Clamp(step, 0, DecaySteps + WarmupSteps);
        if (WarmupTarget is not { } peak) return Decay(s, InitialLearningRate);
        if (s < WarmupSteps) return (float)(InitialLearningRate + (peak - InitialLearningRate) * (s / WarmupSteps));
        return Decay(s - WarmupSteps, peak);
    }

    private float Decay(double s, double from)
    {
        double cosine = 0.5 * (1 + Math.Cos(Math.PI * s / DecaySteps));
        return (float)(from * ((1 - Alpha) * cosine + Alpha));
    }
}
