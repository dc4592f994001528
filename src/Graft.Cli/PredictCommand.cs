using System.Text.Json;
using System.Text.Json.Nodes;
using Graft.Models;
using Graft.Transfer;

namespace Graft.Cli;

/// <summary>`graft predict MODEL IMAGE-OR-FOLDER`: a trained model folder, or a zoo model used directly as a classifier with its own labels.</summary>
internal static class PredictCommand
{
    private static readonly string[] s_imageExtensions = { ".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".bmp", ".gif" };

    public static int Run(string[] args)
    {
        var a = new CliArgs(args, new[] { "--top" }, new[] { "--json", "--skip-bad" });
        string model = a.Positional(0, "the model (a folder written by `graft train`, or a zoo name)");
        string target = a.Positional(1, "an image or a folder of images");
        int top = a.Int("--top", 3, 1);
        var classifier = Load(model);
        var images = Directory.Exists(target)
            ? Directory.EnumerateFiles(target, "*", SearchOption.AllDirectories).Where(f => s_imageExtensions.Contains(Path.GetExtension(f).ToLowerInvariant())).Order(StringComparer.Ordinal).ToArray()
            : File.Exists(target) ? new[] { target } : throw new FileNotFoundException($"{target}: no such image or folder.");
        if (images.Length == 0) throw new UsageException($"{target} holds no images", $"images end in {string.Join(", ", s_imageExtensions)}");
        var predictions = classifier.PredictMany(images, skipBadImages: a.Flag("--skip-bad"));
        if (a.Flag("--json"))
        {
            var arr = new JsonArray(predictions.Select(p => (JsonNode)new JsonObject
            {
                ["path"] = p.Path,
                ["label"] = p.Label,
                ["confidence"] = p.Confidence,
                ["top"] = new JsonArray(p.Ranked.Take(top).Select(r => (JsonNode)new JsonObject { ["label"] = r.Label, ["probability"] = r.Probability }).ToArray()),
            }).ToArray());
            Console.WriteLine(new JsonObject { ["format_version"] = MetricsJson.Version, ["predictions"] = arr }.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }
        else
        {
            foreach (var p in predictions)
                Console.WriteLine($"{p.Path}: {p.Label} ({p.Confidence:P1})" + (top > 1 ? "   " + string.Join(", ", p.Ranked.Skip(1).Take(top - 1).Select(r => $"{r.Label} {r.Probability:P1}")) : ""));
        }
        return CommandLine.Ok;
    }

    public static Classifier Load(string model)
    {
        if (ModelSource.IsSavedModel(model)) return Classifier.Load(model);
        if (ZooCatalog.Entries.FirstOrDefault(e => e.Name == model) is { } entry)
        {
            var pretrained = new ModelZoo().Load(model, LoadOptions.Full);
            var labels = pretrained.Labels ?? Enumerable.Range(0, entry.ClassCount).Select(i => $"class_{i}").ToArray();
            return new Classifier(pretrained.Model, labels, entry.InputSize, entry.Preprocessing.ToPixelMap(), entry.Preprocessing.Description);
        }
        throw new UsageException($"'{model}' is neither a model folder written by `graft train` nor a zoo model", "see `graft models`");
    }
}
