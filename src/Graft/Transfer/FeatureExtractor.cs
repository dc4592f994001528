using System.Diagnostics;
using Graft.Data.Loading;
using Graft.Graph;
using Graft.Tensors;

namespace Graft.Transfer;

/// <summary>Progress of a pass over a dataset: images done, of how many, how fast.</summary>
public readonly record struct ExtractionProgress(string Stage, int Done, int Total, double ImagesPerSecond);

/// <summary>The outputs of one or more layers for every image of a loader, in dataset order.</summary>
public sealed class ExtractedFeatures
{
    internal ExtractedFeatures(float[][] features, int[] dimensions, Shape[] shapes, int[] labels, int[] sampleIndices)
    {
        Features = features;
        Dimensions = dimensions;
        Shapes = shapes;
        Labels = labels;
        SampleIndices = sampleIndices;
    }

    /// <summary>One array per tap, images × dimension.</summary>
    public float[][] Features { get; }
    public int[] Dimensions { get; }
    /// <summary>Per-sample shape of each tap (before flattening).</summary>
    public Shape[] Shapes { get; }
    public int[] Labels { get; }
    /// <summary>Index of each row in the loader's dataset (rows of skipped images are absent).</summary>
    public int[] SampleIndices { get; }
    public int Count => Labels.Length;

    public Tensor AsTensor(int tap = 0) => new(Shapes[tap].WithBatch(Count), Features[tap]);
}

/// <summary>
/// Runs a frozen network once over a dataset and keeps the outputs of chosen layers: the features a
/// separate classifier trains on, and the activation cache at a freeze boundary.
/// </summary>
public static class FeatureExtractor
{
    /// <summary>
    /// Runs <paramref name="model"/> (every output is a tap) in inference mode over <paramref name="loader"/>,
    /// which must not shuffle or augment. With <paramref name="mirror"/> every image is mirrored left-right first:
    /// a second, flipped view of the data for the caches that stand in for flip augmentation.
    /// </summary>
    public static ExtractedFeatures Extract(Model model, ImageLoader loader, IProgress<ExtractionProgress>? progress = null,
        string stage = "extracting features", CancellationToken cancellationToken = default, bool mirror = false)
    {
        if (loader.Options.Shuffle || !loader.Options.Augmentation.IsNone)
            throw new ArgumentException("Features are extracted without shuffling or augmentation; pass a loader made for evaluation.");
        loader.Prepare(cancellationToken: cancellationToken);
        int n = loader.Count, taps = model.Outputs.Count;
        var shapes = model.Outputs.Select(o => o.Shape).ToArray();
        var dims = shapes.Select(s => s.Size).ToArray();
        long total = dims.Sum(d => (long)d) * n;
        if (total > int.MaxValue)
            throw new InsufficientMemoryException($"Features of {n} images at {string.Join(", ", model.Outputs.Select(o => o.Name))} need {total:N0} values; cut the network at a smaller layer or use pooling.");
        var features = dims.Select(d => new float[(long)d * n]).ToArray();
        var labels = new int[n];
        var indices = new int[n];
        int row = 0;
        // The frozen network runs through a compiled plan: BatchNorm folded into convolutions, fused
        // activations, shared buffers. It matches Model.Forward(training: false) within 1e-4 relative.
        var plan = InferencePlan.Compile(model);
        var sw = Stopwatch.StartNew();
        foreach (var batch in loader.Epoch(0, cancellationToken))
        {
            using (batch)
            {
                if (mirror) Data.Transforms.Flip.HorizontalInPlace(batch.Images);
                var outputs = plan.Run(new[] { batch.Images });
                for (int t = 0; t < taps; t++)
                    outputs[t].Span.CopyTo(features[t].AsSpan(row * dims[t], batch.Count * dims[t]));
                batch.Labels.CopyTo(labels, row);
                batch.SampleIndices.CopyTo(indices, row);
                row += batch.Count;
            }
            progress?.Report(new ExtractionProgress(stage, row, n, row / Math.Max(1e-9, sw.Elapsed.TotalSeconds)));
        }
        if (row != n) throw new InvalidOperationException($"The loader yielded {row} images; expected {n}.");
        return new ExtractedFeatures(features, dims, shapes, labels, indices);
    }
}
