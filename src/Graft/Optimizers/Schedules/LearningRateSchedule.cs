namespace Graft.Optimizers.Schedules;

/// <summary>
/// A learning rate as a function of the step index: the optimizer asks for <see cref="At"/>(iterations) before
/// each step, so the first step uses At(0) (Keras's and PyTorch's convention alike).
/// </summary>
public abstract class LearningRateSchedule
{
    public abstract float At(long step);

    private protected static void CheckPositive(string argument, double value)
    {
        if (!(value > 0) || double.IsInfinity(value))
            throw new ArgumentException($"Invalid value received for argument `{argument}`. Expected a finite positive value. Received: {value}.");
    }

    private protected static void CheckNonNegative(string argument, double value)
    {
        if (!(value >= 0) || double.IsInfinity(value))
            throw new ArgumentException($"Invalid value received for argument `{argument}`. Expected a finite value ≥ 0. Received: {value}.");
    }
}
