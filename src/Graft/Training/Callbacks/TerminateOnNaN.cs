namespace Graft.Training.Callbacks;

/// <summary>Stops training at the first batch whose loss is NaN or infinite: nothing good comes after one.</summary>
public sealed class TerminateOnNaN : Callback
{
    public bool Terminated { get; private set; }

    public override void OnBatchEnd(TrainingContext context, int batch, double loss)
    {
        if (double.IsFinite(loss) || Terminated) return;
        Terminated = true;
        context.StopTraining = true;
        context.Log($"batch {batch}: the loss is {loss}; stopping training (try a smaller learning rate)");
    }
}
