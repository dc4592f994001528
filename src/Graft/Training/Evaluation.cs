using Graft.Metrics;

namespace Graft.Training;

/// <summary>A model's predictions over a labelled set, and the figures derived from them.</summary>
public sealed class Evaluation
{
    public Evaluation(float[] probabilities, int[] labels, IReadOnlyList<string> classNames, double loss)
    {
        Probabilities = probabilities;
        Labels = labels;
        ClassNames = classNames;
        Loss = loss;
        Confusion = new ConfusionMatrix(classNames);
        Predictions = new int[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            Predictions[i] = Metrics.Accuracy.ArgMax(probabilities.AsSpan(i * classNames.Count, classNames.Count));
            Confusion.Add(labels[i], Predictions[i]);
        }
    }

    public float[] Probabilities { get; }
    public int[] Labels { get; }
    public int[] Predictions { get; }
    public IReadOnlyList<string> ClassNames { get; }
    public double Loss { get; }
    /// <summary>Which sample of the source each row is.</summary>
    public int[] SampleIndices { get; init; } = Array.Empty<int>();
    public ConfusionMatrix Confusion { get; }
    public double Accuracy => Confusion.Accuracy;
    public double TopK(int k) => Metrics.Accuracy.TopK(Probabilities, Labels, ClassNames.Count, k);
}
