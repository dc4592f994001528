namespace Graft.Optimizers.Schedules;

/// <summary>
/// The one-cycle policy with PyTorch OneCycleLR's arithmetic and cosine annealing: from max/divFactor up to
/// <see cref="MaxLearningRate"/> over the first <see cref="PctStart"/> of the steps, then down to
/// max/(divFactor·finalDivFactor) at step totalSteps − 1. With <see cref="ThreePhase"/>, it comes back down to the
/// start symmetrically before the final annealing. Steps past the end hold the final rate (PyTorch raises
/// instead). PyTorch also cycles momentum inversely; this schedule only drives the learning rate.
/// </summary>
public sealed class OneCycle : LearningRateSchedule
{
    private readonly (double End, double From, double To)[] _phases;

    public OneCycle(float maxLearningRate, long totalSteps, float pctStart = 0.3f, float divFactor = 25f, float finalDivFactor = 1e4f, bool threePhase = false)
    {
        CheckNonNegative(nameof(maxLearningRate), maxLearningRate);
        CheckPositive(nameof(totalSteps), totalSteps);
        if (!(pctStart > 0 && pctStart < 1))
            throw new ArgumentException($"Invalid value received for argument `pctStart`. Expected a value in (0, 1). Received: {pctStart}.");
        CheckPositive(nameof(divFactor), divFactor);
        CheckPositive(nameof(finalDivFactor), finalDivFactor);
        MaxLearningRate = maxLearningRate;
        TotalSteps = totalSteps;
        PctStart = pctStart;
        ThreePhase = threePhase;
        double initial = (double)maxLearningRate / divFactor, min = initial / finalDivFactor;
        // End steps exactly as PyTorch computes them (float pct_start · total − 1, ...), so both agree step by step.
        double warm = (double)pctStart * totalSteps - 1;
        _phases = threePhase
            ? new[] { (warm, initial, (double)maxLearningRate), (2 * (double)pctStart * totalSteps - 2, maxLearningRate, initial), (totalSteps - 1.0, initial, min) }
            : new[] { (warm, initial, (double)maxLearningRate), (totalSteps - 1.0, maxLearningRate, min) };
    }

    public float MaxLearningRate { get; }
    public long TotalSteps { get; }
    public float PctStart { get; }
    public bool ThreePhase { get; }

    public override float At(long step)
    {
        double s = Math.Clamp(step, 0, TotalSteps - 1);
        double start = 0;
        for (int i = 0; i < _phases.Length; i++)
        {
            var (end, from, to) = _phases[i];
            if (s <= end || i == _phases.Length - 1)
            {
                double pct = end > start ? (s - start) / (end - start) : 1;
                return (float)(to + (from - to) / 2 * (Math.Cos(Math.PI * pct) + 1));
            }
            start = end;
        }
        throw new InvalidOperationException("unreachable");
    }
}
