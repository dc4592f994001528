using Graft.Graph;

namespace Graft.Training;

/// <summary>What callbacks see of a running <c>Fit</c>: the model, the learning rate, a stop flag and a log.</summary>
public sealed class TrainingContext
{
    private readonly Func<double> _getLearningRate;
    private readonly Action<double> _setLearningRate;
    private readonly Action<string>? _log;

    public TrainingContext(Model model, Func<double> getLearningRate, Action<double> setLearningRate, Action<string>? log = null)
    {
        Model = model;
        _getLearningRate = getLearningRate;
        _setLearningRate = setLearningRate;
        _log = log;
    }

    public Model Model { get; }
    public bool StopTraining { get; set; }
    public double LearningRate { get => _getLearningRate(); set => _setLearningRate(value); }
    public List<string> Messages { get; } = new();

    public void Log(string message)
    {
        Messages.Add(message);
        _log?.Invoke(message);
    }

    /// <summary>Copies every weight (trainable or not, BatchNorm statistics included) into <paramref name="reuse"/> if given.</summary>
    public float[][] SnapshotWeights(float[][]? reuse = null)
    {
        var ps = Model.Parameters.ToArray();
        var snap = reuse ?? new float[ps.Length][];
        for (int i = 0; i < ps.Length; i++)
        {
            snap[i] ??= new float[ps[i].Value.Length];
            ps[i].Value.Span.CopyTo(snap[i]);
        }
        return snap;
    }

    public void RestoreWeights(float[][] snapshot)
    {
        var ps = Model.Parameters.ToArray();
        for (int i = 0; i < ps.Length; i++) snapshot[i].CopyTo(ps[i].Value.Span);
    }
}
