using Graft.Data.Loading;
using Graft.Graph;
using Graft.Transfer;

namespace Graft.Cli;

/// <summary>`graft extract MODEL DATA --layer NAME --out FILE`: features of one layer for every image, with provenance.</summary>
internal static class ExtractCommand
{
    public static int Run(string[] args)
    {
        var a = new CliArgs(args, new[] { "--layer", "--out", "--pool", "--batch-size" }, Array.Empty<string>());
        string model = a.Positional(0, "the model (zoo name or path)");
        string data = a.Positional(1, "the data folder");
        string output = a.Get("--out") ?? throw new UsageException("missing --out <file>", "e.g. --out features.safetensors");
        var pooling = a.Get("--pool") is null ? (HeadPooling?)null : a.Enum("--pool", HeadPooling.Avg);
        var backbone = ModelSource.LoadBackbone(model, ConsoleUi.Log);
        string layer = a.Get("--layer") ?? backbone.TrunkEnd;
        if (!backbone.Model.HasLayer(layer))
            throw new UsageException($"model '{model}' has no layer named '{layer}'", $"`graft inspect {model}` lists the layers and blocks");
        if (!Directory.Exists(data))
            throw new UsageException($"data folder '{data}' does not exist", "give a folder with one sub-folder of images per class, or train/ and val/ folders");
        var splits = ImageFolder.Load(data, new ImageFolderOptions { ValidationSplit = 0 });
        var all = new ImageDataset(splits.ClassNames, splits.Train.Samples.Concat(splits.Validation.Samples).Concat(splits.Test?.Samples ?? []).ToArray());
        var tap = pooling is { } p ? TransferLearner.PooledTaps(backbone.Model, new[] { layer }, p) : backbone.Model.Cut(layer);
        using var loader = new ImageLoader(all, new ImageLoaderOptions { BatchSize = a.Int("--batch-size", 32, 1), ImageSize = backbone.InputSize, Preprocessing = backbone.Preprocessing });
        var features = ConsoleUi.WithProgress(progress => FeatureExtractor.Extract(tap, loader,
            new SyncProgress<ExtractionProgress>(e => progress.Report(new TransferProgress(e.Stage, e.Done, e.Total, e.ImagesPerSecond)))));
        var set = new FeatureSet(features.Features[0], features.Dimensions[0], features.Labels, all.ClassNames,
            features.SampleIndices.Select(i => all.Samples[i].Path).ToArray(),
            new FeatureProvenance(backbone.Name, backbone.WeightsHash, layer + (pooling is null ? "" : $" + global {pooling.ToString()!.ToLowerInvariant()} pooling"),
                $"{backbone.PreprocessingDescription}, {backbone.InputSize}×{backbone.InputSize}", DateTimeOffset.UtcNow));
        set.Save(output);
        Console.WriteLine($"wrote {set.Count} × {set.Dimension} features of {layer} to {output}");
        return CommandLine.Ok;
    }
}
