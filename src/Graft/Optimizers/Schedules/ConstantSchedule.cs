namespace Graft.Optimizers.Schedules;

/// <summary>The same learning rate at every step.</summary>
public sealed class ConstantSchedule : LearningRateSchedule
{
    public ConstantSchedule(float learningRate)
    {
        CheckNonNegative(nameof(learningRate), learningRate);
        LearningRate = learningRate;
    }

    public float LearningRate { get; }
    public override float At(long step) => LearningRate;
}
