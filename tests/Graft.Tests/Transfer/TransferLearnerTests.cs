using Graft.Data.Loading;
using Graft.Graph;
using Graft.Kernels;
using Graft.Layers;
using Graft.Tensors;
using Graft.Tests.Support;
using Graft.Transfer;

namespace Graft.Tests.Transfer;

/// <summary>The transfer workflow on a tiny random convolutional "backbone" and generated images.</summary>
public sealed class TransferLearnerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("graft-tl-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);

    private const int Size = 24;

    internal static Backbone TinyBackbone(int seed = 3)
    {
        var rng = new Random(seed);
        var input = LayerCalls.Input(Size, Size, 3);
        Node x = input;
        var blocks = new List<BackboneBlock>();
        for (int b = 1; b <= 4; b++)
        {
            var conv = new Conv2D(8 * b, 3, strides: b == 1 ? 1 : 2, padding: Padding2D.Same, name: $"block_{b}_conv");
            var bn = new BatchNormalization(name: $"block_{b}_bn");
            var relu = new Activation(ActivationKind.Relu, $"block_{b}_relu");
            x = relu.Call(rng, bn.Call(rng, conv.Call(rng, x)));
            blocks.Add(new BackboneBlock($"block_{b}", new[] { conv.Name, bn.Name, relu.Name }));
        }
        var top = new Dense(10, ActivationKind.Softmax, name: "predictions").Call(rng, new GlobalAveragePooling2D(name: "top_pool").Call(rng, x));
        return new Backbone("tiny", new Model(input, top, "tiny"), "block_4_relu", Size, Graft.Data.Preprocessing.SymmetricUnitRange, "RGB, x/127.5 − 1", blocks);
    }

    private DatasetSplits Data(int trainPerClass = 12) => ImageFolder.Load(SyntheticImages.Write(Path.Combine(_dir, "data"), trainPerClass: trainPerClass, size: Size));

    [Fact]
    public void MirroredExtractionEqualsTheNetworkOnFlippedImages()
    {
        var backbone = TinyBackbone();
        var data = Data();
        using var loader = new ImageLoader(data.Validation, new ImageLoaderOptions { BatchSize = 5, ImageSize = Size, Preprocessing = backbone.Preprocessing });
        var cut = backbone.Model.Cut("block_3_relu");
        var plain = FeatureExtractor.Extract(cut, loader);
        var mirrored = FeatureExtractor.Extract(cut, loader, mirror: true);
        Assert.Equal(plain.Labels, mirrored.Labels);
        var images = new Tensor(new Shape(loader.Count, Size, Size, 3));
        int row = 0;
        foreach (var batch in loader.Epoch())
            using (batch) { batch.Images.Span.CopyTo(images.Span.Slice(row * Size * Size * 3)); row += batch.Count; }
        global::Graft.Data.Transforms.Flip.HorizontalInPlace(images);
        var expected = cut.Predict(images);
        var got = mirrored.AsTensor();
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], got[i], 1e-4f);
        Assert.NotEqual(plain.Features[0], mirrored.Features[0]);
    }

    [Fact]
    public void LinearStrategyFoldsTheProbeIntoTheModel()
    {
        var r = TransferLearner.Run(TinyBackbone(), Data(), new TransferOptions { Strategy = Strategy.Linear, BatchSize = 8 });
        Assert.Equal(Strategy.Linear, r.Strategy);
        Assert.True(r.Validation.Accuracy >= 0.9, $"accuracy {r.Validation.Accuracy}");
        // The full network on images agrees with the probe on cached features.
        Assert.Equal(r.Probes.Single().ValidationAccuracy, r.Validation.Accuracy, 9);
    }

    [Fact]
    public void HeadStrategyTrainsOnlyTheHead()
    {
        var backbone = TinyBackbone();
        var before = backbone.Model.GetLayer("block_2_conv").Parameters[0].Value.ToArray();
        var r = TransferLearner.Run(backbone, Data(), new TransferOptions { Strategy = Strategy.Head, Epochs = 30, LearningRate = 0.02f, BatchSize = 8 });
        Assert.Equal(before, backbone.Model.GetLayer("block_2_conv").Parameters[0].Value.ToArray());
        Assert.True(r.Validation.Accuracy >= 0.8, $"accuracy {r.Validation.Accuracy}");
        Assert.Contains(r.History, h => h.Phase == "head");
    }

    [Fact]
    public void FineTuneNeverReturnsAModelWorseThanTheHead()
    {
        // An absurd fine-tuning rate wrecks the upper blocks: the result must be rolled back to the head.
        var r = TransferLearner.Run(TinyBackbone(), Data(), new TransferOptions
        {
            Strategy = Strategy.FineTune, Epochs = 20, LearningRate = 0.02f, FineTuneEpochs = 2, FineTuneLearningRate = 50f, BatchSize = 8, Patience = 5,
        });
        Assert.Contains(r.Notes, n => n.Contains("rolled back"));
        var headBest = r.History.Where(h => h.Phase == "head").Max(h => h.Logs["val_accuracy"]);
        Assert.True(r.Validation.Accuracy >= headBest - 1e-9, $"final {r.Validation.Accuracy} < head {headBest}");
    }

    [Fact]
    public void MirroredViewsCacheTwiceTheTrainingImagesAndChangeTheTraining()
    {
        var log = new List<string>();
        TransferResult Run(bool mirror) => TransferLearner.Run(TinyBackbone(), Data(), new TransferOptions
        {
            Strategy = Strategy.FineTune, Epochs = 4, LearningRate = 0.02f, FineTuneEpochs = 2, FineTuneLearningRate = 1e-3f, UnfreezeFrom = "block_3",
            BatchSize = 8, MirrorViews = mirror,
        }, log: log.Add);
        var plain = Run(false);
        Assert.DoesNotContain(log, l => l.Contains("mirror"));
        var mirrored = Run(true);
        Assert.Contains(log, l => l.Contains("training images and their mirrors"));
        Assert.Contains(mirrored.History, h => h.Phase == "finetune");
        // Same seed, different views: the fine-tune's training loss differs.
        Assert.NotEqual(plain.History.First(h => h.Phase == "finetune").Logs["loss"], mirrored.History.First(h => h.Phase == "finetune").Logs["loss"]);
    }

    [Fact]
    public void FineTuneTrainsTheUnfrozenBlocksButNotBatchNorm()
    {
        var backbone = TinyBackbone();
        var conv4 = backbone.Model.GetLayer("block_4_conv").Parameters[0].Value.ToArray();
        var bn4 = backbone.Model.GetLayer("block_4_bn").Parameters.Select(p => p.Value.ToArray()).ToArray();
        var conv1 = backbone.Model.GetLayer("block_1_conv").Parameters[0].Value.ToArray();
        var r = TransferLearner.Run(backbone, Data(), new TransferOptions
        {
            Strategy = Strategy.FineTune, Epochs = 10, LearningRate = 0.02f, FineTuneEpochs = 3, FineTuneLearningRate = 1e-3f, UnfreezeFrom = "block_4", BatchSize = 8, Patience = 5,
        });
        Assert.Equal(conv1, backbone.Model.GetLayer("block_1_conv").Parameters[0].Value.ToArray());
        Assert.Equal(bn4, backbone.Model.GetLayer("block_4_bn").Parameters.Select(p => p.Value.ToArray()).ToArray());
        bool rolledBack = r.Notes.Any(n => n.Contains("rolled back"));
        Assert.Equal(rolledBack, conv4.SequenceEqual(backbone.Model.GetLayer("block_4_conv").Parameters[0].Value.ToArray()));
    }

    [Fact]
    public void AutoProbesSeveralLayersAndExplainsItsChoice()
    {
        var r = TransferLearner.Run(TinyBackbone(), Data(), new TransferOptions { BatchSize = 8 });
        Assert.True(r.Probes.Count >= 2);
        Assert.Equal(Strategy.Linear, r.Strategy); // 12 images per class is small data
        Assert.Contains("small data", r.Reason);
        Assert.Contains(r.FeatureLayer, r.Probes.Select(p => p.Layer));
    }

    [Fact]
    public void ASavedClassifierReloadsToIdenticalPredictions()
    {
        var r = TransferLearner.Run(TinyBackbone(), Data(), new TransferOptions { Strategy = Strategy.Linear, BatchSize = 8 });
        var path = Path.Combine(_dir, "model");
        Classifier.FromResult(r).Save(path);
        var images = Directory.GetFiles(Path.Combine(_dir, "data", "val"), "*.png", SearchOption.AllDirectories).Order().ToArray();
        var before = Classifier.FromResult(r).PredictMany(images);
        var after = Classifier.Load(path).PredictMany(images);
        Assert.Equal(before.Select(p => p.Ranked.Select(x => x.Probability).ToArray()), after.Select(p => p.Ranked.Select(x => x.Probability).ToArray()));
        // Predictions agree with the validation figures, which came through the same loader.
        int correct = after.Count(p => p.Path.Contains(Path.DirectorySeparatorChar + p.Label + Path.DirectorySeparatorChar));
        Assert.Equal(r.Validation.Accuracy, correct / (double)after.Count, 9);
    }
}

public class StrategyAdvisorTests
{
    private static readonly Backbone s_backbone = TransferLearnerTests.TinyBackbone();

    [Fact]
    public void SmallDataGetsALinearProbeOnTheBestLayer()
    {
        var a = StrategyAdvisor.Advise(s_backbone, 300, 5, new[] { new ProbeScore("block_4_relu", 32, 0.6, 1), new ProbeScore("block_3_relu", 24, 0.7, 1) });
        Assert.Equal((Strategy.Linear, "block_3_relu"), (a.Strategy, a.FeatureLayer));
        Assert.Contains("small data", a.Reason);
        Assert.Contains("different", a.Reason);
    }

    [Fact]
    public void LargeDataFineTunesAndADifferentDomainCutsLower()
    {
        var similar = StrategyAdvisor.Advise(s_backbone, 5000, 5, new[] { new ProbeScore("block_4_relu", 32, 0.8, 1), new ProbeScore("block_3_relu", 24, 0.7, 1) });
        Assert.Equal((Strategy.FineTune, "block_4_relu"), (similar.Strategy, similar.FeatureLayer));
        var different = StrategyAdvisor.Advise(s_backbone, 5000, 5, new[] { new ProbeScore("block_4_relu", 32, 0.5, 1), new ProbeScore("block_3_relu", 24, 0.66, 1) });
        Assert.Equal((Strategy.FineTune, "block_3_relu"), (different.Strategy, different.FeatureLayer));
        var excellent = StrategyAdvisor.Advise(s_backbone, 5000, 5, new[] { new ProbeScore("block_4_relu", 32, 0.99, 1) });
        Assert.Equal(Strategy.Linear, excellent.Strategy);
    }
}
