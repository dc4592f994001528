using Graft.Saving;

namespace Graft.Training.Callbacks;

/// <summary>
/// Writes the model's weights (safetensors, atomically) after an epoch: every epoch, or only when the
/// monitored figure improves (<see cref="SaveBestOnly"/>), so the file always holds a complete set.
/// </summary>
public sealed class ModelCheckpoint : MonitorCallback
{
    public ModelCheckpoint(string path, string monitor = "val_loss", bool saveBestOnly = true, MonitorMode mode = MonitorMode.Auto)
        : base(monitor, mode, 0)
    {
        Path = path;
        SaveBestOnly = saveBestOnly;
    }

    public string Path { get; }
    public bool SaveBestOnly { get; }
    public int SavedEpoch { get; private set; } = -1;

    public override void OnTrainBegin(TrainingContext context) => Best = null;

    public override void OnEpochEnd(TrainingContext context, int epoch, EpochLogs logs)
    {
        if (SaveBestOnly)
        {
            if (Current(logs, context) is not { } value || !IsImprovement(value)) return;
            Best = value;
        }
        SafeTensorsFile.Write(Path, context.Model.Parameters.Select(p => new SafeTensorsFile.Entry(p.FullName, p.Shape.ToArray(), p.Value.ToArray())),
            new Dictionary<string, string> { ["epoch"] = (epoch + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) });
        SavedEpoch = epoch;
    }
}
