namespace Graft.Optimizers.Schedules;

/// <summary>η₀ · γ^⌊step / stepSize⌋: the rate drops by <see cref="Gamma"/> every <see cref="StepSize"/> steps (PyTorch StepLR).</summary>
public sealed class StepDecay : LearningRateSchedule
{
    public StepDecay(float initialLearningRate, long stepSize, float gamma = 0.1f)
    {
        CheckNonNegative(nameof(initialLearningRate), initialLearningRate);
        CheckPositive(nameof(stepSize), stepSize);
        CheckNonNegative(nameof(gamma), gamma);
        InitialLearningRate = initialLearningRate;
        StepSize = stepSize;
        Gamma = gamma;
    }

    public float InitialLearningRate { get; }
    public long StepSize { get; }
    public float Gamma { get; }

    public override float At(long step) => (float)(InitialLearningRate * Math.Pow(Gamma, Math.Max(step, 0) / StepSize));
}
