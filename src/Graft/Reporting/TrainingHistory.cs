namespace Graft.Reporting;

/// <summary>One row per epoch: the figures a report plots and a metrics file records.</summary>
public sealed record EpochRecord(int Epoch, string Phase, double Loss, double Accuracy, double? ValLoss, double? ValAccuracy, double LearningRate, double Seconds);

/// <summary>A validation image the model got wrong, with what it should have said and what it said.</summary>
public sealed record Misclassified(string Path, string TrueClass, string PredictedClass, double Confidence, byte[]? Png);
