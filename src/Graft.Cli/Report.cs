using System.Globalization;
using Graft.Data.Images;
using Graft.Data.Transforms;
using Graft.Reporting;
using Graft.Training;
using Graft.Transfer;
using Spectre.Console;

namespace Graft.Cli;

/// <summary>What `graft train` shows at the end, and its HTML report.</summary>
internal static class Report
{
    public static void PrintSummary(TransferResult r)
    {
        Console.WriteLine($"strategy: {r.Strategy.ToString().ToLowerInvariant()} on {r.FeatureLayer} — {r.Reason}");
        foreach (var n in r.Notes) Console.WriteLine($"note: {n}");
        PrintEvaluation(r.Validation, "validation");
        Console.WriteLine("time: " + string.Join(", ", r.Timings.Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key} {kv.Value:F1} s"))));
    }

    public static void PrintEvaluation(Evaluation e, string what)
    {
        var table = new Table().AddColumns("class", "precision", "recall", "F1", "support");
        foreach (var m in e.Confusion.PerClass())
            table.AddRow(Markup.Escape(m.ClassName), m.Precision.ToString("F3", CultureInfo.InvariantCulture), m.Recall.ToString("F3", CultureInfo.InvariantCulture),
                m.F1.ToString("F3", CultureInfo.InvariantCulture), m.Support.ToString(CultureInfo.InvariantCulture));
        AnsiConsole.Write(table);
        Console.WriteLine($"{what} accuracy: {TrainCommand.Pct(e.Accuracy)} ({e.Confusion.Total} images), loss {e.Loss.ToString("F4", CultureInfo.InvariantCulture)}");
    }

    public static void WriteHtml(string path, TransferResult r)
    {
        var samplePaths = r.Validation.SampleIndices;
        var dataset = r.Validation;
        // Up to 48 mistakes, taken in turn from each true class so that every class's errors show.
        var wrong = Enumerable.Range(0, dataset.Labels.Length).Where(i => dataset.Predictions[i] != dataset.Labels[i])
            .GroupBy(i => dataset.Labels[i]).SelectMany(g => g.Select((i, rank) => (i, rank))).OrderBy(x => x.rank).ThenBy(x => dataset.Labels[x.i])
            .Select(x => x.i).Take(48).ToArray();
        var report = new HtmlReport
        {
            Title = $"Graft: {r.Backbone.Name}, {r.Strategy.ToString().ToLowerInvariant()}, {TrainCommand.Pct(r.Validation.Accuracy)} validation accuracy",
            History = r.History.Select((e, i) => new EpochRecord(i + 1, e.Phase, e.Logs.Get("loss") ?? double.NaN, e.Logs.Get("accuracy") ?? double.NaN,
                e.Logs.Get("val_loss"), e.Logs.Get("val_accuracy"), e.Logs.Get("lr") ?? double.NaN, e.Logs.Get("seconds") ?? 0)).ToArray(),
            Confusion = r.Validation.Confusion,
            Misclassified = wrong.Select(i =>
            {
                string file = r.ValidationPaths.Count > samplePaths[i] ? r.ValidationPaths[samplePaths[i]] : "";
                return new Misclassified(file, r.ClassNames[dataset.Labels[i]], r.ClassNames[dataset.Predictions[i]],
                    dataset.Probabilities[i * r.ClassNames.Count + dataset.Predictions[i]], Thumbnail(file));
            }).ToArray(),
            Settings = new Dictionary<string, string>
            {
                ["model"] = r.Backbone.Name,
                ["preprocessing"] = r.Backbone.PreprocessingDescription,
                ["strategy"] = r.Strategy.ToString().ToLowerInvariant(),
                ["why"] = r.Reason,
                ["feature layer"] = r.FeatureLayer,
                ["classes"] = string.Join(", ", r.ClassNames),
                ["timings"] = string.Join(", ", r.Timings.Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key} {kv.Value:F1} s"))),
            },
            Notes = r.Probes.Select(p => $"linear probe on {p.Layer}: {TrainCommand.Pct(p.ValidationAccuracy)}").Concat(r.Notes).ToArray(),
        };
        report.Save(path);
    }

    private static byte[]? Thumbnail(string path)
    {
        try
        {
            var img = ImageResize.Resize(ImageDecoder.Decode(path), 112, 112);
            return PngWriter.Encode(img.Pixels, 112, 112, 3);
        }
        catch (ImageDecodeException) { return null; }
    }
}
