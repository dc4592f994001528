using System.Diagnostics;
using System.Text.Json;
using Graft.Data;
using Graft.Data.Images;
using Graft.Data.Loading;
using Graft.Data.Transforms;

namespace Graft.Bench;

/// <summary>
/// `decode` benchmark: JPEG decode + resize to 224x224 (Pillow-style antialiased bilinear) over the shared flowers
/// set, on one thread and on all cores, then the ImageLoader's first pass (decode + cache) and cached epochs
/// (evaluation and augmented). Images per second, median of the runs. Not a test.
/// Usage: decode [--data DIR] [--runs N] [--out FILE]
/// </summary>
public static class DecodeBenchmark
{
    public static int Run(string[] args)
    {
        string data = Arg(args, "--data") ?? Path.Combine(FindRepoRoot(), "..", "shared", "datasets", "flowers");
        int runs = int.Parse(Arg(args, "--runs") ?? "3");
        string? output = Arg(args, "--out");
        if (!Directory.Exists(data))
        {
            Console.Error.WriteLine($"decode: dataset {data} not found. Hint: pass --data DIR.");
            return 2;
        }
        var splits = ImageFolder.Load(data);
        var files = splits.Train.Samples.Concat(splits.Validation.Samples).Select(s => s.Path).ToArray();
        Console.WriteLine($"decode: {files.Length} images from {data}, {Environment.ProcessorCount} cores, {runs} runs each");

        // Warm-up: JIT, TurboJPEG handles, page cache.
        foreach (var f in files.Take(300)) ImageResize.Resize(ImageDecoder.Decode(f), 224, 224);

        var results = new Dictionary<string, object>();
        double decodeOnly = Median(runs, () => Time(files.Length, () => { foreach (var f in files) ImageDecoder.Decode(f); }));
        Report(results, "decode_only_1_thread", decodeOnly);
        double oneThread = Median(runs, () => Time(files.Length, () =>
        {
            foreach (var f in files) ImageResize.Resize(ImageDecoder.Decode(f), 224, 224);
        }));
        Report(results, "decode_resize224_1_thread", oneThread);
        double allThreads = Median(runs, () => Time(files.Length, () =>
            Parallel.ForEach(files, f => ImageResize.Resize(ImageDecoder.Decode(f), 224, 224))));
        Report(results, $"decode_resize224_{Environment.ProcessorCount}_threads", allThreads);

        // The loader: first pass (decode, resize shorter side to 224, cache), then epochs from the cache.
        var dataset = new ImageDataset(splits.ClassNames, splits.Train.Samples.Concat(splits.Validation.Samples).ToArray());
        double prepare = 0, evalEpoch = 0, augEpoch = 0;
        long cached = 0;
        var prepares = new List<double>();
        var evals = new List<double>();
        var augs = new List<double>();
        for (int r = 0; r < runs; r++)
        {
            var options = new ImageLoaderOptions { ImageSize = 224, BatchSize = 32, Preprocessing = Preprocessing.SymmetricUnitRange };
            using var loader = new ImageLoader(dataset, options);
            var report = loader.Prepare();
            prepares.Add(report.ImagesPerSecond);
            cached = report.CachedBytes;
            evals.Add(Time(dataset.Count, () => { foreach (var b in loader.Epoch(1)) b.Dispose(); }));
            using var training = new ImageLoader(dataset, options with { Augmentation = Augmentation.Standard, Shuffle = true });
            training.Prepare();
            augs.Add(Time(dataset.Count, () => { foreach (var b in training.Epoch(1)) b.Dispose(); }));
        }
        prepare = prepares.Order().ElementAt(runs / 2);
        evalEpoch = evals.Order().ElementAt(runs / 2);
        augEpoch = augs.Order().ElementAt(runs / 2);
        Report(results, "loader_first_pass_decode_cache", prepare);
        Report(results, "loader_cached_epoch_eval", evalEpoch);
        Report(results, "loader_cached_epoch_augmented", augEpoch);
        results["loader_cache_mib"] = Math.Round(cached / 1048576.0, 1);
        Console.WriteLine($"  loader cache: {cached / 1048576.0:F0} MiB for {dataset.Count} images at 224 (shorter side)");

        var doc = new Dictionary<string, object>
        {
            ["benchmark"] = "decode",
            ["engine"] = "graft (libjpeg-turbo TurboJPEG + managed resize)",
            ["unit"] = "images/second, median of runs",
            ["images"] = files.Length,
            ["runs"] = runs,
            ["cores"] = Environment.ProcessorCount,
            ["results"] = results,
        };
        string json = JsonSerializer.Serialize(doc, new JsonSerializerOptions { WriteIndented = true });
        if (output is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
            File.WriteAllText(output, json);
            Console.WriteLine($"decode: wrote {output}");
        }
        else
        {
            Console.WriteLine(json);
        }
        return 0;
    }

    private static void Report(Dictionary<string, object> results, string name, double imagesPerSecond)
    {
        results[name] = Math.Round(imagesPerSecond, 1);
        Console.WriteLine($"  {name,-40} {imagesPerSecond,9:F1} images/s");
    }

    private static double Time(int images, Action work)
    {
        var sw = Stopwatch.StartNew();
        work();
        return images / sw.Elapsed.TotalSeconds;
    }

    private static double Median(int runs, Func<double> measure) =>
        Enumerable.Range(0, runs).Select(_ => measure()).Order().ElementAt(runs / 2);

    private static string? Arg(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static string FindRepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Graft.slnx"))) return d.FullName;
        return Directory.GetCurrentDirectory();
    }
}
