using System.Diagnostics;
using Graft.Data.Loading;
using Graft.Graph;
using Graft.Layers;
using Graft.Losses;
using Graft.Optimizers;
using Graft.Optimizers.Schedules;
using Graft.Saving;
using Graft.Tensors;
using Graft.Training;
using Graft.Training.Callbacks;

namespace Graft.Transfer;

/// <summary>Progress of a transfer run: a stage name and the progress within it.</summary>
public readonly record struct TransferProgress(string Stage, int Done, int Total, double ImagesPerSecond, string? Detail = null);

/// <summary>
/// The product: from a pre-trained backbone and a folder of labelled images to a trained classifier, by the
/// strategy asked for or the one <see cref="StrategyAdvisor"/> picks. Frozen parts of the network run once
/// per image (features and the freeze-boundary cache) whenever augmentation is off, and a fine-tune that
/// validates worse than the head it started from is rolled back: the result is never worse than the frozen model.
/// </summary>
public static class TransferLearner
{
    public static TransferResult Run(Backbone backbone, DatasetSplits data, TransferOptions? options = null,
        IProgress<TransferProgress>? progress = null, Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        var o = options ?? new TransferOptions();
        var total = Stopwatch.StartNew();
        int classes = data.ClassNames.Count;
        if (classes < 2) throw new ArgumentException($"Training a classifier needs at least two classes. Found: {string.Join(", ", data.ClassNames)}.");
        if (data.Validation.Count == 0) throw new ArgumentException("The validation split is empty; add a val/ folder or use a validation split > 0.");
        var timings = new Dictionary<string, double>();

        using var trainLoader = new ImageLoader(data.Train, LoaderOptions(backbone, o, shuffle: false, augment: false));
        using var valLoader = new ImageLoader(data.Validation, LoaderOptions(backbone, o, shuffle: false, augment: false));
        var sw = Stopwatch.StartNew();
        var skipped = Prepare(trainLoader, "decoding training images", progress, cancellationToken)
            .Concat(Prepare(valLoader, "decoding validation images", progress, cancellationToken)).ToList();
        timings["decode"] = sw.Elapsed.TotalSeconds;

        // 1. Pooled features of the candidate layers, all in one pass over each split.
        var strategy = o.Strategy;
        string featureLayer = o.FeatureLayer ?? backbone.TrunkEnd;
        string? unfreeze = o.UnfreezeFrom;
        var candidates = strategy == Strategy.Auto && o.FeatureLayer is null ? StrategyAdvisor.ProbeCandidates(backbone) : new[] { featureLayer };
        sw.Restart();
        var tapModel = PooledTaps(backbone.Model, candidates, o.Pooling);
        var trainFeatures = FeatureExtractor.Extract(tapModel, trainLoader, Relay(progress, "features (train)"), cancellationToken: cancellationToken);
        var valFeatures = FeatureExtractor.Extract(tapModel, valLoader, Relay(progress, "features (validation)"), cancellationToken: cancellationToken);
        timings["extract"] = sw.Elapsed.TotalSeconds;

        // 2. Linear probes (for linear, and for auto's decision).
        var probes = new List<ProbeScore>();
        var probeModels = new Dictionary<string, LinearProbe.Result>();
        if (strategy is Strategy.Auto or Strategy.Linear or Strategy.Head or Strategy.FineTune)
        {
            sw.Restart();
            for (int t = 0; t < candidates.Count; t++)
            {
                progress?.Report(new TransferProgress("linear probe", t, candidates.Count, 0, candidates[t]));
                var r = LinearProbe.Fit(trainFeatures.Features[t], trainFeatures.Labels, valFeatures.Features[t], valFeatures.Labels,
                    trainFeatures.Dimensions[t], classes, o.C, o.Seed, cancellationToken);
                probeModels[candidates[t]] = r;
                probes.Add(new ProbeScore(candidates[t], trainFeatures.Dimensions[t], r.ValidationAccuracy, r.C));
                log?.Invoke($"linear probe on {candidates[t]} ({trainFeatures.Dimensions[t]} features, C={r.C}): {r.ValidationAccuracy:P1} validation accuracy");
            }
            timings["linear"] = sw.Elapsed.TotalSeconds;
        }
        string reason = "chosen by the user";
        if (strategy == Strategy.Auto)
        {
            var advice = StrategyAdvisor.Advise(backbone, trainFeatures.Count, classes, probes);
            (strategy, featureLayer, unfreeze, reason) = (advice.Strategy, advice.FeatureLayer, unfreeze ?? advice.UnfreezeFrom, advice.Reason);
            log?.Invoke($"auto: {strategy} — {reason}");
        }
        int tap = candidates.ToList().IndexOf(featureLayer);

        // Training changes the backbone's layers in place; auto may need them back as they were (step 4).
        var original = backbone.Model.Parameters.Select(p => p.Value.ToArray()).ToArray();

        // 3. The classifier: backbone up to the feature layer, plus the default head. Only the head trains at first.
        var classifier = ClassifierHead.Attach(backbone.Model, featureLayer, classes, o.Pooling, o.Dropout, o.Seed);
        classifier.FreezeAll();
        classifier.GetLayer(ClassifierHead.DenseName).Trainable = true;
        var split = classifier.SplitAt(ClassifierHead.PoolName);
        IBatchSource trainPooled = new TensorBatchSource(trainFeatures.AsTensor(tap), trainFeatures.Labels);
        if (strategy != Strategy.Linear && o.MirrorViews && !o.Augment)
        {
            // Flip augmentation at the price of one more frozen pass: each epoch trains on each image or its mirror.
            sw.Restart();
            var mirrored = FeatureExtractor.Extract(PooledTaps(backbone.Model, new[] { featureLayer }, o.Pooling), trainLoader,
                Relay(progress, "features (train, mirrored)"), cancellationToken: cancellationToken, mirror: true);
            trainPooled = new MultiViewBatchSource(new[] { trainFeatures.AsTensor(tap), mirrored.AsTensor() }, trainFeatures.Labels);
            timings["extract"] += sw.Elapsed.TotalSeconds;
        }
        var valPooled = new TensorBatchSource(valFeatures.AsTensor(tap), valFeatures.Labels);
        var history = new TrainingHistory();
        var notes = new List<string>();
        if (skipped.Count > 0) notes.Add($"skipped {skipped.Count} unreadable image(s): " + string.Join("; ", skipped.Take(5).Select(s => $"{s.Path}: {s.Reason}")));
        var loss = new CategoricalCrossEntropy(o.LabelSmoothing, o.ClassWeights);

        if (strategy == Strategy.Linear)
        {
            sw.Restart();
            if (!probeModels.TryGetValue(featureLayer, out var probe))
                probe = LinearProbe.Fit(trainFeatures.Features[tap], trainFeatures.Labels, valFeatures.Features[tap], valFeatures.Labels, trainFeatures.Dimensions[tap], classes, o.C, o.Seed, cancellationToken);
            ClassifierHead.LoadLogisticRegression(classifier, probe.Model);
            timings["linear"] = timings.GetValueOrDefault("linear") + sw.Elapsed.TotalSeconds;
        }
        else
        {
            sw.Restart();
            var headFit = FitOptionsFor(o, "head", o.Epochs, o.LearningRate, loss);
            // The head trains from scratch; the linear probe (standardisation folded in) replaces it when it
            // validates better, as on features whose scale gradient descent handles poorly. Starting from the probe
            // instead measured worse on MobileNet v1 / flowers (70.2 % against 71.5 % after fine-tuning).
            probeModels.TryGetValue(featureLayer, out var startProbe);
            if (!o.Augment)
                history.AddRange(Trainer.Fit(split.Tail, trainPooled, valPooled, headFit, RelayTraining(progress), log, cancellationToken));
            else
                history.AddRange(FitOnImages(classifier, data.Train, valPooled, split.Tail, backbone, o, headFit, progress, log, cancellationToken));
            // For `head` the probe replaces a worse trained head now; for `finetune` the trained head is the better
            // starting point (71.5–71.9 % against 71.0 % from the probe) and the probe only a rollback target.
            bool probeIsBetterHead = false;
            if (startProbe is not null)
            {
                var trainedHead = Trainer.Evaluate(split.Tail, valPooled, loss, o.BatchSize, data.ClassNames, cancellationToken);
                probeIsBetterHead = trainedHead.Accuracy < startProbe.ValidationAccuracy;
                if (probeIsBetterHead && strategy == Strategy.Head)
                {
                    ClassifierHead.LoadLogisticRegression(classifier, startProbe.Model);
                    notes.Add($"the trained head ({trainedHead.Accuracy:P1}) did not beat the linear probe ({startProbe.ValidationAccuracy:P1}); the probe is the head.");
                    log?.Invoke(notes[^1]);
                }
            }
            timings["head"] = sw.Elapsed.TotalSeconds;

            if (strategy == Strategy.FineTune)
            {
                sw.Restart();
                var headEval = Trainer.Evaluate(split.Tail, valPooled, loss, o.BatchSize, data.ClassNames, cancellationToken);
                var snapshot = classifier.Parameters.Select(p => p.Value.ToArray()).ToArray();
                string from = ResolveUnfreeze(backbone, classifier, unfreeze);
                classifier.UnfreezeFrom(from);
                // Keras's advice for fine-tuning: BatchNorm stays in inference mode, with its statistics frozen.
                foreach (var bn in classifier.Layers.OfType<BatchNormalization>()) bn.Trainable = false;
                float lr = o.FineTuneLearningRate ?? o.LearningRate / 10;
                // Cosine decay to zero over the fine-tune: the curve settles instead of ending on a noisy step
                // (MobileNet v1 / flowers, five blocks: 75.7 %, against 73.0 % at a constant 3.3e-5).
                var ftFit = FitOptionsFor(o, "finetune", o.FineTuneEpochs, lr, loss, cosineSteps: (long)o.FineTuneEpochs * StepsPerEpoch(trainLoader.Count, o.BatchSize));
                var ftEval = FineTune(classifier, trainLoader, valLoader, data, backbone, o, ftFit, history, progress, log, cancellationToken);
                log?.Invoke($"fine-tuning from {from}: {ftEval.Accuracy:P1} validation accuracy (head alone: {headEval.Accuracy:P1})");
                double before = Math.Max(headEval.Accuracy, probeIsBetterHead ? startProbe!.ValidationAccuracy : 0);
                if (ftEval.Accuracy <= before)
                {
                    var ps = classifier.Parameters.ToArray();
                    for (int i = 0; i < ps.Length; i++) snapshot[i].CopyTo(ps[i].Value.Span);
                    if (probeIsBetterHead) ClassifierHead.LoadLogisticRegression(classifier, startProbe!.Model);
                    notes.Add($"fine-tuning from {from} reached {ftEval.Accuracy:P1}, no better than the frozen network with {(probeIsBetterHead ? "the linear probe" : "the trained head")} ({before:P1}): rolled back (negative transfer avoided).");
                    log?.Invoke(notes[^1]);
                }
                else notes.Add($"fine-tuning from {from} improved validation accuracy from {before:P1} to {ftEval.Accuracy:P1}.");
                timings["finetune"] = sw.Elapsed.TotalSeconds;
            }
        }
        classifier.FreezeAll();

        // 4. Auto never hands back less than its best frozen linear probe: if training ended below it, that probe
        //    (already fitted) becomes the model.
        if (o.Strategy == Strategy.Auto && strategy != Strategy.Linear && probes.Count > 0)
        {
            var trained = Trainer.Evaluate(classifier, new ImageBatchSource(valLoader), loss, o.BatchSize, data.ClassNames, cancellationToken);
            var bestProbe = probes.MaxBy(p => p.ValidationAccuracy)!;
            if (bestProbe.ValidationAccuracy > trained.Accuracy)
            {
                notes.Add($"{strategy.ToString().ToLowerInvariant()} reached {trained.Accuracy:P1}, below the linear probe on {bestProbe.Layer} ({bestProbe.ValidationAccuracy:P1}): returning that probe instead.");
                log?.Invoke(notes[^1]);
                var ps = backbone.Model.Parameters.ToArray();
                for (int i = 0; i < ps.Length; i++) original[i].CopyTo(ps[i].Value.Span);
                classifier = ClassifierHead.Attach(backbone.Model, bestProbe.Layer, classes, o.Pooling, o.Dropout, o.Seed, suffix: "_probe");
                ClassifierHead.LoadLogisticRegression(classifier, probeModels[bestProbe.Layer].Model);
                classifier.FreezeAll();
                (strategy, featureLayer) = (Strategy.Linear, bestProbe.Layer);
                reason += $" Fine-tuning did not beat the best linear probe, so that probe was kept.";
            }
        }

        // 5. The final figure comes from the whole network on the validation images, not from caches.
        sw.Restart();
        var evaluation = Trainer.Evaluate(classifier, new ImageBatchSource(valLoader), loss, o.BatchSize, data.ClassNames, cancellationToken);
        timings["evaluate"] = sw.Elapsed.TotalSeconds;
        timings["total"] = total.Elapsed.TotalSeconds;
        var result = new TransferResult
        {
            Model = classifier,
            ClassNames = data.ClassNames,
            Backbone = backbone,
            Strategy = strategy,
            FeatureLayer = featureLayer,
            Reason = reason,
            Validation = evaluation,
            History = history,
            Probes = probes,
            ValidationPaths = data.Validation.Samples.Select(x => x.Path).ToArray(),
        };
        result.Notes.AddRange(notes);
        foreach (var (k, v) in timings) result.Timings[k] = v;
        return result;
    }

    private static ImageLoaderOptions LoaderOptions(Backbone backbone, TransferOptions o, bool shuffle, bool augment) => new()
    {
        BatchSize = o.BatchSize,
        ImageSize = backbone.InputSize,
        Preprocessing = backbone.Preprocessing,
        Shuffle = shuffle,
        Seed = o.Seed,
        Augmentation = augment ? Data.Transforms.Augmentation.Standard : Data.Transforms.Augmentation.None,
        SkipBadImages = o.SkipBadImages,
        CacheBytes = Math.Min(o.CacheBytes, 2L << 30),
    };

    private static IReadOnlyList<BadImage> Prepare(ImageLoader loader, string stage, IProgress<TransferProgress>? progress, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        var report = loader.Prepare(progress is null ? null : new Progress<LoadProgress>(p =>
            progress.Report(new TransferProgress(stage, p.Done, p.Total, p.Done / Math.Max(1e-9, sw.Elapsed.TotalSeconds)))), ct);
        return report.Skipped;
    }

    /// <summary>A model from the backbone's input to globally pooled outputs of each candidate layer.</summary>
    public static Model PooledTaps(Model backbone, IReadOnlyList<string> layers, HeadPooling pooling)
    {
        var outputs = layers.Select((name, i) =>
        {
            var node = backbone.GetNode(name);
            if (node.Shape.Rank != 3) return node;
            Layer pool = pooling == HeadPooling.Avg ? new GlobalAveragePooling2D(name: $"graft_probe_pool_{i}") : new GlobalMaxPooling2D(name: $"graft_probe_pool_{i}");
            return pool.Call(node);
        }).ToArray();
        return new Model(backbone.Inputs, outputs, backbone.Name + "_features");
    }

    private static string ResolveUnfreeze(Backbone backbone, Model classifier, string? requested)
    {
        if (requested is not null)
        {
            if (backbone.FindBlock(requested) is { } block && block.Name == requested) return block.First;
            classifier.GetLayer(requested); // throws with a hint when unknown
            return requested;
        }
        // Default: the last five blocks that lie below the feature layer (MobileNet v1 / flowers, mirrored views,
        // cosine decay from 1e-4: 75.7 % with five, 72.8 % with three).
        var blocks = backbone.Blocks.Where(b => classifier.HasLayer(b.Last)).ToArray();
        return blocks.Length > 0 ? blocks[Math.Max(0, blocks.Length - DefaultUnfrozenBlocks)].First : ClassifierHead.DenseName;
    }

    /// <summary>Trains the unfrozen part, from cached activations at the freeze boundary when that is valid and fits.</summary>
    private static Evaluation FineTune(Model classifier, ImageLoader trainLoader, ImageLoader valLoader, DatasetSplits data, Backbone backbone,
        TransferOptions o, FitOptions fit, TrainingHistory history, IProgress<TransferProgress>? progress, Action<string>? log, CancellationToken ct)
    {
        string? boundary = classifier.FindFreezeBoundary();
        long perImage = boundary is null ? 0 : classifier.GetNode(boundary).Shape.Size * 4L;
        int views = o.MirrorViews ? 2 : 1;
        bool cache = !o.Augment && boundary is not null && perImage * (views * trainLoader.Count + valLoader.Count) <= o.CacheBytes;
        if (!cache && views == 2 && !o.Augment && boundary is not null && perImage * (trainLoader.Count + valLoader.Count) <= o.CacheBytes)
        {
            log?.Invoke("the mirrored views would exceed the cache's memory budget: caching the images as they are only");
            (cache, views) = (true, 1);
        }
        if (cache)
        {
            var split = classifier.SplitAt(boundary!);
            log?.Invoke($"caching activations at the freeze boundary '{boundary}' ({perImage * (views * trainLoader.Count + valLoader.Count) / (1 << 20)} MiB{(views == 2 ? ", training images and their mirrors" : "")}): frozen layers run once per view");
            var train = FeatureExtractor.Extract(split.Prefix, trainLoader, Relay(progress, $"caching {boundary} (train)"), cancellationToken: ct);
            var trainViews = new List<Tensor> { train.AsTensor() };
            if (views == 2)
                trainViews.Add(FeatureExtractor.Extract(split.Prefix, trainLoader, Relay(progress, $"caching {boundary} (train, mirrored)"), cancellationToken: ct, mirror: true).AsTensor());
            var val = FeatureExtractor.Extract(split.Prefix, valLoader, Relay(progress, $"caching {boundary} (validation)"), cancellationToken: ct);
            var trainSource = new MultiViewBatchSource(trainViews, train.Labels);
            var valSource = new TensorBatchSource(val.AsTensor(), val.Labels);
            history.AddRange(Trainer.Fit(split.Tail, trainSource, valSource, fit, RelayTraining(progress), log, ct));
            return Trainer.Evaluate(split.Tail, valSource, fit.Loss, o.BatchSize, data.ClassNames, ct);
        }
        log?.Invoke(o.Augment ? "fine-tuning on augmented images (no activation cache)" : "fine-tuning on images: the activation cache would exceed its memory budget");
        using var augLoader = new ImageLoader(data.Train, LoaderOptions(backbone, o, shuffle: true, augment: o.Augment));
        var valSourceImages = new ImageBatchSource(valLoader);
        history.AddRange(Trainer.Fit(classifier, new ImageBatchSource(augLoader), valSourceImages, fit, RelayTraining(progress), log, ct));
        return Trainer.Evaluate(classifier, valSourceImages, fit.Loss, o.BatchSize, data.ClassNames, ct);
    }

    /// <summary>Head training with augmentation: images through the frozen network every step (backward stops at the head).</summary>
    private static TrainingHistory FitOnImages(Model classifier, ImageDataset train, TensorBatchSource valPooled, Model tail, Backbone backbone,
        TransferOptions o, FitOptions fit, IProgress<TransferProgress>? progress, Action<string>? log, CancellationToken ct)
    {
        using var augLoader = new ImageLoader(train, LoaderOptions(backbone, o, shuffle: true, augment: true));
        // No early stopping here: validation runs once at the end, on the cached pooled features through the
        // tail, which shares the head's weights.
        var history = Trainer.Fit(classifier, new ImageBatchSource(augLoader), null, fit with { Callbacks = new Callback[] { new TerminateOnNaN() } }, RelayTraining(progress), log, ct);
        var eval = Trainer.Evaluate(tail, valPooled, fit.Loss, o.BatchSize, null, ct);
        if (history.Count > 0) { history[^1].Logs["val_accuracy"] = eval.Accuracy; history[^1].Logs["val_loss"] = eval.Loss; }
        return history;
    }

    /// <summary>How many blocks below the feature layer `finetune` unfreezes when no layer is named.</summary>
    public const int DefaultUnfrozenBlocks = 5;

    private static int StepsPerEpoch(int samples, int batchSize) => Math.Max(1, (samples + batchSize - 1) / batchSize);

    private static FitOptions FitOptionsFor(TransferOptions o, string phase, int epochs, float lr, ILoss loss, long cosineSteps = 0) => new()
    {
        Epochs = epochs,
        BatchSize = o.BatchSize,
        Seed = o.Seed,
        Loss = loss,
        Phase = phase,
        Optimizer = a => new Adam(a, lr) { Schedule = cosineSteps > 0 ? new CosineDecay(lr, cosineSteps) : null },
        // Under a cosine schedule the curve tends to climb late, as the rate falls: stopping after a few flat epochs
        // cut an nsfwjs fine-tune at 65.8 % that reached 69.1 % when it ran on. All epochs run; the best is restored.
        Callbacks = new Callback[] { new EarlyStopping("val_accuracy", cosineSteps > 0 ? Math.Max(o.Patience, epochs) : o.Patience, restoreBestWeights: true), new TerminateOnNaN() },
        CheckpointPath = o.CheckpointDirectory is null ? null : Path.Combine(o.CheckpointDirectory, phase + ".ckpt"),
        Resume = o.Resume,
    };

    private static IProgress<ExtractionProgress>? Relay(IProgress<TransferProgress>? p, string stage) =>
        p is null ? null : new SyncProgress<ExtractionProgress>(e => p.Report(new TransferProgress(stage, e.Done, e.Total, e.ImagesPerSecond)));

    private static IProgress<TrainingProgress>? RelayTraining(IProgress<TransferProgress>? p) =>
        p is null ? null : new SyncProgress<TrainingProgress>(t => p.Report(new TransferProgress($"{t.Phase} epoch {t.Epoch + 1}/{t.Epochs}", t.Batch, t.Batches, t.ImagesPerSecond,
            $"loss {t.Loss:F3} acc {t.Accuracy:P1}")));
}

/// <summary>An IProgress that reports on the caller's thread (Progress&lt;T&gt; posts to the thread pool and can reorder).</summary>
public sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
