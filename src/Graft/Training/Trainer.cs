using System.Diagnostics;
using Graft.Graph;
using Graft.Layers;
using Graft.Losses;
using Graft.Metrics;
using Graft.Optimizers;
using Graft.Tensors;
using Graft.Training.Callbacks;

namespace Graft.Training;

/// <summary>The training loop: Keras's fit and evaluate over a <see cref="Model"/> and batch sources.</summary>
public static class Trainer
{
    public static TrainingHistory Fit(Model model, IBatchSource train, IBatchSource? validation, FitOptions options,
        IProgress<TrainingProgress>? progress = null, Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        if (options.Epochs < 0) throw new ArgumentException($"Epochs must be ≥ 0. Received: {options.Epochs}.");
        if (options.BatchSize <= 0) throw new ArgumentException($"BatchSize must be positive. Received: {options.BatchSize}.");
        if (train.Count == 0) throw new ArgumentException("The training set is empty.");
        var loss = options.Loss ?? new CategoricalCrossEntropy();
        var arena = model.CreateArena();
        var optimizer = options.Optimizer?.Invoke(arena) ?? new Adam(arena, 1e-3f);
        var history = new TrainingHistory();
        var context = new TrainingContext(model, () => optimizer.LearningRate, v => optimizer.LearningRate = (float)v, log);
        var outputGrad = new TensorSlot();
        int classes = model.Outputs[0].Shape[-1];
        var dropouts = model.Layers.OfType<IReseedable>().ToArray();
        foreach (var cb in options.Callbacks) cb.OnTrainBegin(context);
        int startEpoch = 0;
        if (options.Resume && options.CheckpointPath is { } cp && File.Exists(cp))
        {
            var state = Checkpoint.Load(cp, model, optimizer, options.Callbacks);
            startEpoch = state.NextEpoch;
            context.StopTraining = state.Stopped;
            history.AddRange(state.History);
            log?.Invoke($"resuming from {cp} at epoch {startEpoch + 1}");
        }

        int batchesPerEpoch = (train.Count + options.BatchSize - 1) / options.BatchSize;
        for (int epoch = startEpoch; epoch < options.Epochs && !context.StopTraining; epoch++)
        {
            foreach (var cb in options.Callbacks) cb.OnEpochBegin(context, epoch);
            var sw = Stopwatch.StartNew();
            double lossSum = 0;
            long seen = 0, correct = 0;
            int batchIndex = 0;
            foreach (var batch in train.GetBatches(options.BatchSize, epoch, options.Shuffle, options.Seed, cancellationToken))
            {
                cancellationToken.ThrowIfCancellationRequested();
                // Masks depend on (seed, epoch, batch) alone, so a resumed run draws the same ones.
                long step = (long)epoch * batchesPerEpoch + batchIndex;
                for (int d = 0; d < dropouts.Length; d++) dropouts[d].Reseed(unchecked(options.Seed * 31 + (int)step * 7 + d * 1_000_003));
                var y = model.Forward(batch.Inputs, training: true);
                var g = outputGrad.Get(y.Shape);
                float l = loss.Compute(y, batch.Labels, g);
                optimizer.ZeroGrad();
                model.Backward(g);
                optimizer.Step();
                lossSum += (double)l * batch.Count;
                seen += batch.Count;
                correct += CountCorrect(y, batch.Labels, classes);
                foreach (var cb in options.Callbacks) cb.OnBatchEnd(context, batchIndex, l);
                batchIndex++;
                progress?.Report(new TrainingProgress(options.Phase, epoch, options.Epochs, batchIndex, batchesPerEpoch, (int)seen,
                    lossSum / seen, correct / (double)seen, seen / Math.Max(1e-9, sw.Elapsed.TotalSeconds)));
                if (context.StopTraining) break;
            }
            var logs = new EpochLogs
            {
                ["loss"] = lossSum / Math.Max(1, seen),
                ["accuracy"] = correct / (double)Math.Max(1, seen),
                ["lr"] = optimizer.LearningRate,
            };
            if (validation is not null && validation.Count > 0)
            {
                var eval = Evaluate(model, validation, loss, options.BatchSize, cancellationToken: cancellationToken);
                logs["val_loss"] = eval.Loss;
                logs["val_accuracy"] = eval.Accuracy;
                if (options.TopK > 1) logs[$"val_top{options.TopK}_accuracy"] = eval.TopK(options.TopK);
            }
            logs["seconds"] = sw.Elapsed.TotalSeconds;
            history.Add(new EpochEntry(epoch, options.Phase, logs));
            foreach (var cb in options.Callbacks) cb.OnEpochEnd(context, epoch, logs);
            log?.Invoke(FormatEpoch(epoch, options.Epochs, logs));
            if (options.CheckpointPath is { } path)
                Checkpoint.Save(path, model, optimizer, epoch + 1, history, options.Callbacks, context.StopTraining);
        }
        foreach (var cb in options.Callbacks) cb.OnTrainEnd(context);
        history.Messages.AddRange(context.Messages);
        return history;
    }

    /// <summary>Runs the model over a source in inference mode and scores it.</summary>
    public static Evaluation Evaluate(Model model, IBatchSource source, ILoss? loss = null, int batchSize = 32,
        IReadOnlyList<string>? classNames = null, CancellationToken cancellationToken = default)
    {
        loss ??= new CategoricalCrossEntropy();
        int classes = model.Outputs[0].Shape[-1];
        var probabilities = new float[source.Count * classes];
        var labels = new int[source.Count];
        var indices = new int[source.Count];
        double lossSum = 0;
        int row = 0;
        // Rows follow the source's order; Indices say which sample each row is (a loader may skip bad images).
        foreach (var batch in source.GetBatches(batchSize, 0, shuffle: false, seed: 0, cancellationToken))
        {
            var y = model.ForwardOutputsOnly(new[] { batch.Inputs })[0];
            lossSum += (double)loss.Compute(y, batch.Labels) * batch.Count;
            y.Span.CopyTo(probabilities.AsSpan(row * classes, batch.Count * classes));
            batch.Labels.CopyTo(labels, row);
            batch.Indices.CopyTo(indices, row);
            row += batch.Count;
        }
        var names = classNames ?? Enumerable.Range(0, classes).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return new Evaluation(probabilities, labels, names, lossSum / Math.Max(1, row)) { SampleIndices = indices };
    }

    private static long CountCorrect(Tensor y, int[] labels, int classes)
    {
        long c = 0;
        for (int i = 0; i < labels.Length; i++)
            if (Accuracy.ArgMax(y.Span.Slice(i * classes, classes)) == labels[i]) c++;
        return c;
    }

    private static string FormatEpoch(int epoch, int epochs, EpochLogs logs) =>
        $"epoch {epoch + 1}/{epochs}: " + string.Join(", ", logs.Where(kv => kv.Key != "seconds").Select(kv => $"{kv.Key} {kv.Value:G4}")) + $" ({logs["seconds"]:F1} s)";
}
