namespace Graft.Training.Callbacks;

/// <summary>
/// Stops training when the monitored figure has not improved for <see cref="Patience"/> epochs and, with
/// <see cref="RestoreBestWeights"/>, puts back the weights of the best epoch (also when training ends
/// for another reason, so the model handed back is always the best one seen).
/// </summary>
public sealed class EarlyStopping : MonitorCallback, IStatefulCallback
{
    private float[][]? _bestWeights;
    private int _wait;

    public EarlyStopping(string monitor = "val_loss", int patience = 3, double minDelta = 0, MonitorMode mode = MonitorMode.Auto, bool restoreBestWeights = true)
        : base(monitor, mode, minDelta)
    {
        if (patience < 0) throw new ArgumentException($"patience must be ≥ 0. Received: {patience}.");
        Patience = patience;
        RestoreBestWeights = restoreBestWeights;
    }

    public int Patience { get; }
    public bool RestoreBestWeights { get; }
    public int BestEpoch { get; private set; } = -1;
    public int StoppedEpoch { get; private set; } = -1;

    public override void OnTrainBegin(TrainingContext context)
    {
        _wait = 0;
        Best = null;
        _bestWeights = null;
        BestEpoch = StoppedEpoch = -1;
    }

    public override void OnEpochEnd(TrainingContext context, int epoch, EpochLogs logs)
    {
        if (Current(logs, context) is not { } value) return;
        if (IsImprovement(value))
        {
            Best = value;
            BestEpoch = epoch;
            _wait = 0;
            if (RestoreBestWeights) _bestWeights = context.SnapshotWeights(_bestWeights);
            return;
        }
        if (++_wait >= Patience)
        {
            StoppedEpoch = epoch;
            context.StopTraining = true;
            context.Log($"early stopping at epoch {epoch + 1}: {Monitor} has not improved for {Patience} epoch(s); best {Best:G4} at epoch {BestEpoch + 1}");
        }
    }

    public override void OnTrainEnd(TrainingContext context)
    {
        if (RestoreBestWeights && _bestWeights is not null)
        {
            context.RestoreWeights(_bestWeights);
            context.Log($"restored the weights of epoch {BestEpoch + 1} ({Monitor} {Best:G4})");
        }
    }

    public void SaveState(IDictionary<string, float[]> state)
    {
        state["best"] = StateCodec.Pack(Best ?? double.NaN);
        state["wait"] = StateCodec.Pack(_wait);
        state["best_epoch"] = StateCodec.Pack(BestEpoch);
        if (_bestWeights is not null)
            for (int i = 0; i < _bestWeights.Length; i++) state[$"weights/{i}"] = _bestWeights[i];
    }

    public void LoadState(IReadOnlyDictionary<string, float[]> state)
    {
        double best = StateCodec.Unpack(state["best"]);
        Best = double.IsNaN(best) ? null : best;
        _wait = (int)StateCodec.Unpack(state["wait"]);
        BestEpoch = (int)StateCodec.Unpack(state["best_epoch"]);
        var weights = state.Where(kv => kv.Key.StartsWith("weights/", StringComparison.Ordinal))
            .OrderBy(kv => int.Parse(kv.Key["weights/".Length..], System.Globalization.CultureInfo.InvariantCulture)).Select(kv => kv.Value).ToArray();
        _bestWeights = weights.Length > 0 ? weights : null;
    }
}
