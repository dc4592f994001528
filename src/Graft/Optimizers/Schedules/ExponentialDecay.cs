namespace Graft.Optimizers.Schedules;

/// <summary>η₀ · rate^(step / decaySteps), with the exponent floored when <see cref="Staircase"/> (Keras ExponentialDecay).</summary>
public sealed class ExponentialDecay : LearningRateSchedule
{
    public ExponentialDecay(float initialLearningRate, long decaySteps, float decayRate, bool staircase = false)
    {
        CheckNonNegative(nameof(initialLearningRate), initialLearningRate);
        CheckPositive(nameof(decaySteps), decaySteps);
        CheckNonNegative(nameof(decayRate), decayRate);
        InitialLearningRate = initialLearningRate;
        DecaySteps = decaySteps;
        DecayRate = decayRate;
        Staircase = staircase;
    }

    public float InitialLearningRate { get; }
    public long DecaySteps { get; }
    public float DecayRate { get; }
    public bool Staircase { get; }

    public override float At(long step)
    {
        double p = (double)Math.Max(step, 0) / DecaySteps;
        if (Staircase) p = Math.Floor(p);
        return (float)(InitialLearningRate * Math.Pow(DecayRate, p));
    }
}
