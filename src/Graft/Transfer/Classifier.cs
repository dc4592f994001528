using System.Globalization;
using System.Text.Json.Nodes;
using Graft.Data.Loading;
using Graft.Graph;
using Graft.Saving;
using Graft.Training;

namespace Graft.Transfer;

/// <summary>One image's prediction: the best class and every class's probability.</summary>
public sealed record Prediction(string Path, string Label, float Confidence, IReadOnlyList<(string Label, float Probability)> Ranked);

/// <summary>
/// A trained image classifier with what it needs to be used: class names, input size and preprocessing.
/// Saved as a model folder (see <see cref="ModelFolder"/>) that reloads to identical predictions.
/// </summary>
public sealed class Classifier
{
    public Classifier(Model model, IReadOnlyList<string> classNames, int inputSize, Data.Preprocessing preprocessing, string preprocessingDescription, JsonObject? provenance = null)
    {
        int outputs = model.Outputs[0].Shape[-1];
        if (outputs != classNames.Count) throw new ArgumentException($"The model has {outputs} outputs but {classNames.Count} class names were given.");
        Model = model;
        ClassNames = classNames;
        InputSize = inputSize;
        Preprocessing = preprocessing;
        PreprocessingDescription = preprocessingDescription;
        Provenance = provenance ?? new JsonObject();
    }

    public Model Model { get; }
    public IReadOnlyList<string> ClassNames { get; }
    public int InputSize { get; }
    public Data.Preprocessing Preprocessing { get; }
    public string PreprocessingDescription { get; }
    /// <summary>How it was made: backbone, strategy, feature layer (free-form, saved with the model).</summary>
    public JsonObject Provenance { get; }

    public static Classifier FromResult(TransferResult r) => new(r.Model, r.ClassNames, r.Backbone.InputSize, r.Backbone.Preprocessing, r.Backbone.PreprocessingDescription,
        new JsonObject
        {
            ["backbone"] = r.Backbone.Name,
            ["backbone_hash"] = r.Backbone.WeightsHash,
            ["strategy"] = r.Strategy.ToString().ToLowerInvariant(),
            ["feature_layer"] = r.FeatureLayer,
            ["validation_accuracy"] = r.Validation.Accuracy,
        });

    public void Save(string directory)
    {
        var p = Preprocessing;
        ModelFolder.Save(directory, Model, ClassNames, new JsonObject
        {
            ["input_size"] = InputSize,
            ["scale"] = new JsonArray(p.ScaleR, p.ScaleG, p.ScaleB),
            ["offset"] = new JsonArray(p.OffsetR, p.OffsetG, p.OffsetB),
            ["bgr"] = p.Bgr,
            ["resize"] = "antialiased bilinear, whole image to input_size × input_size",
            ["description"] = PreprocessingDescription,
            ["provenance"] = Provenance.DeepClone(),
        });
    }

    public static Classifier Load(string directory)
    {
        var saved = ModelFolder.Load(directory);
        var pre = saved.Preprocessing;
        try
        {
            var scale = pre["scale"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray();
            var offset = pre["offset"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray();
            if (scale.Length != 3 || offset.Length != 3) throw new FormatException("scale and offset need 3 values");
            var map = new Data.Preprocessing(scale[0], scale[1], scale[2], offset[0], offset[1], offset[2], pre["bgr"]?.GetValue<bool>() ?? false);
            int size = pre["input_size"]!.GetValue<int>();
            if (saved.Model.Inputs[0].Shape[0] != size) throw new FormatException($"input_size {size} does not match the model's input {saved.Model.Inputs[0].Shape}");
            return new Classifier(saved.Model, saved.ClassNames, size, map, pre["description"]?.GetValue<string>() ?? "", pre["provenance"] as JsonObject);
        }
        catch (Exception e) when (e is NullReferenceException or InvalidOperationException or FormatException)
        {
            throw new ModelFolderException(saved.Directory, $"preprocessing.json is incomplete ({e.Message})");
        }
    }

    /// <summary>Predicts one image (decoded, resized and cropped exactly as in evaluation).</summary>
    public Prediction Predict(string imagePath) => PredictMany(new[] { imagePath })[0];

    /// <summary>
    /// Predicts images in batches through the same loader evaluation uses, so a prediction here equals the one
    /// behind the validation figures. A file that cannot be decoded stops the call with the file and the reason,
    /// unless <paramref name="skipBadImages"/>, in which case it is left out.
    /// </summary>
    public IReadOnlyList<Prediction> PredictMany(IReadOnlyList<string> imagePaths, int batchSize = 32, bool skipBadImages = false, CancellationToken cancellationToken = default)
    {
        var dataset = new ImageDataset(ClassNames, imagePaths.Select(p => new ImageSample(p, 0)).ToArray());
        using var loader = new ImageLoader(dataset, new ImageLoaderOptions { BatchSize = batchSize, ImageSize = InputSize, Preprocessing = Preprocessing, SkipBadImages = skipBadImages });
        loader.Prepare(cancellationToken: cancellationToken);
        var result = new List<Prediction>();
        foreach (var batch in loader.Epoch(0, cancellationToken))
        {
            using (batch)
            {
                var p = Model.ForwardOutputsOnly(new[] { batch.Images })[0];
                int k = ClassNames.Count;
                for (int i = 0; i < batch.Count; i++)
                {
                    var row = p.Span.Slice(i * k, k);
                    var ranked = new (string, float)[k];
                    for (int c = 0; c < k; c++) ranked[c] = (ClassNames[c], row[c]);
                    Array.Sort(ranked, (a, b) => b.Item2.CompareTo(a.Item2));
                    result.Add(new Prediction(imagePaths[batch.SampleIndices[i]], ranked[0].Item1, ranked[0].Item2, ranked));
                }
            }
        }
        return result;
    }

    /// <summary>Scores the classifier on a labelled dataset whose class names must match its own.</summary>
    public Evaluation Evaluate(ImageDataset dataset, int batchSize = 32, bool skipBadImages = false, CancellationToken cancellationToken = default)
    {
        if (!dataset.ClassNames.SequenceEqual(ClassNames))
            throw new ArgumentException($"The dataset's classes ({string.Join(", ", dataset.ClassNames)}) differ from the model's ({string.Join(", ", ClassNames)}).");
        using var loader = new ImageLoader(dataset, new ImageLoaderOptions { BatchSize = batchSize, ImageSize = InputSize, Preprocessing = Preprocessing, SkipBadImages = skipBadImages });
        loader.Prepare(cancellationToken: cancellationToken);
        return Trainer.Evaluate(Model, new ImageBatchSource(loader), null, batchSize, ClassNames, cancellationToken);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"Classifier({ClassNames.Count} classes, {InputSize}×{InputSize})");
}
