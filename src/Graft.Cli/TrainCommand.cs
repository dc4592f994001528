using System.Globalization;
using Graft.Data.Loading;
using Graft.Transfer;
using Spectre.Console;

namespace Graft.Cli;

/// <summary>`graft train DATA --out DIR`: the transfer workflow from a folder of labelled images to a saved classifier.</summary>
internal static class TrainCommand
{
    private static readonly string[] s_options = { "--model", "--strategy", "--epochs", "--finetune-epochs", "--lr", "--finetune-lr", "--unfreeze-from", "--layer",
        "--val-split", "--seed", "--out", "--report", "--json", "--batch-size", "--dropout", "--label-smoothing", "--cache-mb" };
    private static readonly string[] s_flags = { "--augment", "--mirror", "--skip-bad", "--resume" };

    public const string DefaultModel = "mobilenet_v1_0.75";

    public static int Run(string[] args)
    {
        var a = new CliArgs(args, s_options, s_flags);
        string data = a.Positional(0, "the data folder (class sub-folders, or train/ and val/)");
        string output = a.Get("--out") ?? throw new UsageException("missing --out <dir>", "name a folder for the trained model, e.g. --out flowers-model");
        var options = new TransferOptions
        {
            Strategy = a.Enum("--strategy", Strategy.Auto),
            Epochs = a.Int("--epochs", 15, 0),
            FineTuneEpochs = a.Int("--finetune-epochs", 10, 0),
            LearningRate = (float)(a.Double("--lr", 1e-7, 10) ?? 1e-3),
            FineTuneLearningRate = a.Double("--finetune-lr", 1e-9, 10) is { } f ? (float)f : null,
            UnfreezeFrom = a.Get("--unfreeze-from"),
            FeatureLayer = a.Get("--layer"),
            Seed = a.Int("--seed", 42),
            BatchSize = a.Int("--batch-size", 32, 1),
            Dropout = (float)(a.Double("--dropout", 0, 0.95) ?? 0.2),
            LabelSmoothing = (float)(a.Double("--label-smoothing", 0, 0.5) ?? 0),
            Augment = a.Flag("--augment"),
            MirrorViews = a.Flag("--mirror"),
            SkipBadImages = a.Flag("--skip-bad"),
            Resume = a.Flag("--resume"),
            CheckpointDirectory = Path.Combine(output + ".checkpoints"),
            CacheBytes = (long)a.Int("--cache-mb", 4096, 64) << 20,
        };
        var result = Train(data, a.Get("--model") ?? DefaultModel, options, a.Double("--val-split", 0, 0.9) ?? 0.2);
        Classifier.FromResult(result).Save(output);
        Report.PrintSummary(result);
        Console.WriteLine($"saved the model to {Path.GetFullPath(output)}");
        if (a.Get("--json") is { } json) { MetricsJson.Write(json, result); Console.WriteLine($"wrote metrics to {json}"); }
        if (a.Get("--report") is { } html) { Report.WriteHtml(html, result); Console.WriteLine($"wrote the report to {html}"); }
        // A finished run no longer needs its checkpoints.
        if (Directory.Exists(options.CheckpointDirectory)) Directory.Delete(options.CheckpointDirectory, true);
        return CommandLine.Ok;
    }

    public static TransferResult Train(string dataFolder, string model, TransferOptions options, double valSplit)
    {
        if (!Directory.Exists(dataFolder))
            throw new UsageException($"data folder '{dataFolder}' does not exist", "give a folder with one sub-folder of images per class, or train/ and val/ folders");
        var splits = ImageFolder.Load(dataFolder, new ImageFolderOptions { ValidationSplit = valSplit, Seed = options.Seed });
        foreach (var d in splits.Duplicates.Where(d => d.Moved))
            ConsoleUi.Log($"duplicate files kept in one split: {string.Join(", ", d.Paths)}");
        ConsoleUi.Log($"data: {splits.Train.Count} training and {splits.Validation.Count} validation images in {splits.ClassNames.Count} classes ({string.Join(", ", splits.ClassNames)})");
        var backbone = ModelSource.LoadBackbone(model, ConsoleUi.Log);
        ConsoleUi.Log($"model: {backbone.Name} ({backbone.InputSize}×{backbone.InputSize}, {backbone.PreprocessingDescription}), strategy {options.Strategy.ToString().ToLowerInvariant()}");
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cancel.Cancel(); };
        Console.CancelKeyPress += onCancel;
        try
        {
            return ConsoleUi.WithProgress(p => TransferLearner.Run(backbone, splits, options, p, ConsoleUi.Log, cancel.Token));
        }
        finally { Console.CancelKeyPress -= onCancel; }
    }

    internal static string Pct(double v) => v.ToString("P1", CultureInfo.InvariantCulture);
}
