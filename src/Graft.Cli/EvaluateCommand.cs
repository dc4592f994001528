using System.Text.Json;
using System.Text.Json.Nodes;
using Graft.Data.Loading;
using Graft.Transfer;

namespace Graft.Cli;

/// <summary>`graft evaluate MODEL-DIR DATA`: accuracy, per-class metrics and the confusion matrix on labelled images.</summary>
internal static class EvaluateCommand
{
    public static int Run(string[] args)
    {
        var a = new CliArgs(args, new[] { "--json" }, new[] { "--skip-bad" });
        var classifier = PredictCommand.Load(a.Positional(0, "the model folder written by `graft train`"));
        var dataset = LabelledImages(a.Positional(1, "the data folder"));
        var evaluation = classifier.Evaluate(dataset, skipBadImages: a.Flag("--skip-bad"));
        Report.PrintEvaluation(evaluation, "accuracy on " + dataset.Count + " images:");
        if (a.Get("--json") is { } path)
        {
            var doc = MetricsJson.Evaluation(evaluation);
            doc["format_version"] = MetricsJson.Version;
            Saving.AtomicFile.WriteAllText(path, doc.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            Console.WriteLine($"wrote metrics to {path}");
        }
        return CommandLine.Ok;
    }

    /// <summary>The test split if there is one, else the validation split, else every image of the class folders.</summary>
    public static ImageDataset LabelledImages(string folder)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"{folder}: no such data folder.");
        bool presplit = Directory.Exists(Path.Combine(folder, "train"));
        var splits = ImageFolder.Load(folder, new ImageFolderOptions { ValidationSplit = 0 });
        return presplit ? splits.Test ?? splits.Validation : splits.Train;
    }
}
