namespace Graft.Training.Callbacks;

/// <summary>Multiplies the learning rate by <see cref="Factor"/> when the monitored figure stalls for <see cref="Patience"/> epochs.</summary>
public sealed class ReduceLROnPlateau : MonitorCallback
{
    private int _wait, _cooldownLeft;

    public ReduceLROnPlateau(string monitor = "val_loss", double factor = 0.1, int patience = 2, double minDelta = 1e-4,
        int cooldown = 0, double minLearningRate = 0, MonitorMode mode = MonitorMode.Auto) : base(monitor, mode, minDelta)
    {
        if (factor <= 0 || factor >= 1) throw new ArgumentException($"factor must be in (0, 1). Received: {factor}.");
        Factor = factor;
        Patience = patience;
        Cooldown = cooldown;
        MinLearningRate = minLearningRate;
    }

    public double Factor { get; }
    public int Patience { get; }
    public int Cooldown { get; }
    public double MinLearningRate { get; }

    public override void OnTrainBegin(TrainingContext context) { _wait = 0; _cooldownLeft = 0; Best = null; }

    public override void OnEpochEnd(TrainingContext context, int epoch, EpochLogs logs)
    {
        if (Current(logs, context) is not { } value) return;
        if (_cooldownLeft > 0) { _cooldownLeft--; _wait = 0; }
        if (IsImprovement(value)) { Best = value; _wait = 0; return; }
        if (_cooldownLeft == 0 && ++_wait >= Patience)
        {
            double old = context.LearningRate, lr = Math.Max(old * Factor, MinLearningRate);
            if (lr < old)
            {
                context.LearningRate = lr;
                context.Log($"reducing the learning rate to {lr:G3} ({Monitor} stalled for {Patience} epoch(s))");
            }
            _cooldownLeft = Cooldown;
            _wait = 0;
        }
    }
}
