using System.Diagnostics;
using System.Text.Json.Nodes;
using Graft.Data.Loading;
using Graft.Graph;
using Graft.Kernels;
using Graft.Losses;
using Graft.Optimizers;
using Graft.Training;
using Graft.Transfer;

namespace Graft.Bench;

/// <summary>
/// Wall time of a whole transfer run on a folder of images, the Graft way: decode once, run the frozen part of
/// the network once per image, then train for a fixed number of epochs on what it produced. "head": pooled
/// features at the trunk's end, then the Dense head (what Strategy.Head does); "finetune": activations cached at
/// the freeze boundary below the unfreeze block, then that block and everything above train (BatchNorm frozen,
/// as TransferLearner's fine-tune does). Both validate every epoch on the cached validation split, as the product
/// does; there is no early stopping, so exactly <c>--epochs</c> run. One mode per process, for its peak memory.
/// </summary>
internal static class TransferBench
{
    public static int Run(string[] args)
    {
        var o = BenchOptions.Parse(args, "graft");
        string mode = o.Get("mode", "head");
        if (mode is not ("head" or "finetune")) throw new ArgumentException($"--mode is head or finetune. Received: '{mode}'.");
        string dataRoot = o.Get("data", Path.Combine(BenchTiming.RepoRoot(), "..", "shared", "datasets", "flowers"));
        int epochs = o.GetInt("epochs", 10);
        string unfreeze = o.Get("unfreeze", "block_13");
        string zooName = o.Model.StartsWith(BenchModels.ZooPrefix, StringComparison.Ordinal) ? o.Model[BenchModels.ZooPrefix.Length..] : "nsfwjs-mobilenet_v2";
        Parallelism.MaxThreads = o.Threads;
        double load0 = Timing.LoadAverage();

        var seconds = new JsonObject();
        var sw = Stopwatch.StartNew();
        var backbone = BenchModels.LoadZoo(zooName).ToBackbone();
        seconds["model_load"] = Lap(sw);
        var data = ImageFolder.Load(dataRoot);
        var loaderOptions = new ImageLoaderOptions
        {
            BatchSize = o.Batch, ImageSize = backbone.InputSize, Preprocessing = backbone.Preprocessing, CacheBytes = 2L << 30,
        };
        using var trainLoader = new ImageLoader(data.Train, loaderOptions);
        using var valLoader = new ImageLoader(data.Validation, loaderOptions);
        trainLoader.Prepare();
        valLoader.Prepare();
        seconds["decode"] = Lap(sw);

        int classes = data.ClassNames.Count;
        var classifier = ClassifierHead.Attach(backbone.Model, backbone.TrunkEnd, classes, HeadPooling.Avg, dropout: 0.2f, seed: 42);
        classifier.FreezeAll();
        classifier.GetLayer(ClassifierHead.DenseName).Trainable = true;
        string boundary;
        float lr = 1e-3f;
        if (mode == "head")
        {
            boundary = ClassifierHead.PoolName;
        }
        else
        {
            var block = backbone.FindBlock(unfreeze) ?? throw new ArgumentException($"Backbone '{backbone.Name}' has no block '{unfreeze}'.");
            classifier.UnfreezeFrom(block.First);
            foreach (var bn in classifier.Layers.OfType<Layers.BatchNormalization>()) bn.Trainable = false;
            boundary = classifier.FindFreezeBoundary() ?? throw new InvalidOperationException("No freeze boundary: nothing to cache.");
            lr /= 30;
        }
        var split = classifier.SplitAt(boundary);
        // The head's prefix ends at the pooling layer, so its cache is the pooled features (what Strategy.Head extracts).
        var train = FeatureExtractor.Extract(split.Prefix, trainLoader);
        var val = FeatureExtractor.Extract(split.Prefix, valLoader);
        seconds["cache"] = Lap(sw);

        var fit = new FitOptions
        {
            Epochs = epochs, BatchSize = o.Batch, Seed = 42, Loss = new CategoricalCrossEntropy(), Phase = mode,
            Optimizer = a => new Adam(a, lr),
        };
        var valSource = new TensorBatchSource(val.AsTensor(), val.Labels);
        var history = Trainer.Fit(split.Tail, new TensorBatchSource(train.AsTensor(), train.Labels), valSource, fit);
        seconds["train"] = Lap(sw);
        double total = seconds["decode"]!.GetValue<double>() + seconds["cache"]!.GetValue<double>() + seconds["train"]!.GetValue<double>();
        seconds["total"] = Math.Round(total, 2);

        var mem = Timing.Memory();
        var line = new JsonObject
        {
            ["bench"] = "transfer", ["impl"] = "graft", ["model"] = "zoo:" + zooName, ["mode"] = mode,
            ["unfreeze_from"] = mode == "finetune" ? unfreeze : null, ["cache_boundary"] = boundary,
            ["batch"] = o.Batch, ["threads"] = o.Threads, ["epochs_run"] = history.Count,
            ["train_images"] = train.Count, ["val_images"] = val.Count,
            ["cache_mib"] = Math.Round((train.Features[0].Length + val.Features[0].Length) * 4.0 / 1048576, 1),
            ["seconds"] = seconds,
            // Training images through the network per second of the whole run: comparable with a peer's step rate.
            ["img_s_median"] = Math.Round(history.Count * train.Count / total, 2),
            ["val_accuracy"] = history.Count > 0 && history[^1].Logs.TryGetValue("val_accuracy", out var acc) ? Math.Round(acc, 4) : null,
            ["peak_working_set_mib"] = Math.Round(mem.PeakWorkingSetMiB, 1), ["gc_heap_mib"] = Math.Round(mem.GcHeapMiB, 1),
            ["load_avg_1m"] = Math.Round((load0 + Timing.LoadAverage()) / 2, 2),
        };
        Console.WriteLine(line.ToJsonString());
        return 0;
    }

    private static double Lap(Stopwatch sw)
    {
        double s = Math.Round(sw.Elapsed.TotalSeconds, 2);
        sw.Restart();
        return s;
    }
}
