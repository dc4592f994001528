using System.Diagnostics;
using Graft.Models;
using Graft.Tensors;
using Xunit.Abstractions;

namespace Graft.Tests.Models;

/// <summary>
/// Zoo models against the original TensorFlow.js on the shared reference inputs: probabilities within 1e-5,
/// pooled features within 1e-4, the same top-1 on every image, nsfwjs's intermediate activations.
/// </summary>
public class ZooReferenceTests(ITestOutputHelper output)
{
    private PretrainedModel LoadTimed(ModelZoo zoo, string name, LoadOptions? options = null)
    {
        var sw = Stopwatch.StartNew();
        var m = zoo.Load(name, options);
        output.WriteLine($"{name}: loaded from the cache in {sw.Elapsed.TotalMilliseconds:0} ms ({m.Model.Layers.Count()} layers, {m.Model.CountParameters():N0} weights)");
        return m;
    }

    private void CompareRows(string what, Tensor actual, Func<int, float[]> expected, float tolerance)
    {
        int n = actual.Shape[0], per = actual.Length / n;
        for (int i = 0; i < n; i++)
        {
            var want = expected(i);
            var got = actual.Span.Slice(i * per, per);
            var (max, at) = ReferenceData.MaxDiff(got, want);
            output.WriteLine($"{what} image {i}: max |diff| {max:E2} at {at}");
            Assert.True(max <= tolerance, $"{what}, image {i}: max |diff| {max:E3} at index {at} (got {got[at]}, want {want[at]}), tolerance {tolerance:E0}");
        }
    }

    [Fact]
    public async Task MobileNetV1MatchesTensorFlowJs()
    {
        var zoo = await TestModelCache.EnsureAsync("mobilenet_v1_0.75");
        var m = LoadTimed(zoo, "mobilenet_v1_0.75");
        Assert.Equal(1000, m.Labels!.Count);
        var reference = new ReferenceData("mobilenet_v1_0.75_224");
        Assert.True(m.CheckInput(reference.Inputs).Matches);
        var probs = m.Model.Forward(reference.Inputs);
        CompareRows("probabilities", probs, i => reference.Vector(i, "probabilities"), 1e-5f);
        CompareRows("global_average_pooling2d_1", m.Model.ActivationOf("global_average_pooling2d_1")!, i => reference.Vector(i, "global_average_pooling2d_1"), 1e-4f);
        for (int i = 0; i < reference.Images.Count; i++)
        {
            int top = ReferenceData.ArgMax(probs.Span.Slice(i * 1000, 1000));
            Assert.Equal(reference.Images[i]!["top5"]![0]!["index"]!.GetValue<int>(), top);
            output.WriteLine($"image {i}: top-1 {top} {m.Labels[top]}");
        }
    }

    [Fact]
    public async Task MobileNetV1FeaturesWithoutTheTop()
    {
        var zoo = await TestModelCache.EnsureAsync("mobilenet_v1_0.75");
        var reference = new ReferenceData("mobilenet_v1_0.75_224");
        var features = LoadTimed(zoo, "mobilenet_v1_0.75", LoadOptions.Features(Pooling.Avg));
        Assert.Equal(new Shape(768), features.Model.Outputs[0].Shape);
        Assert.False(features.Model.HasLayer("conv_preds"));
        CompareRows("avg-pooled features", features.Model.Forward(reference.Inputs), i => reference.Vector(i, "global_average_pooling2d_1"), 1e-4f);

        var map = zoo.Load("mobilenet_v1_0.75", new LoadOptions { IncludeTop = false });
        Assert.Equal(new Shape(7, 7, 768), map.Model.Outputs[0].Shape);
        var max = zoo.Load("mobilenet_v1_0.75", LoadOptions.Features(Pooling.Max));
        Assert.Equal("GlobalMaxPooling2D", max.Model.Outputs[0].Layer.ClassName);

        Assert.Equal(new[] { "stem" }.Concat(Enumerable.Range(1, 13).Select(k => $"block_{k}")), features.Blocks.Take(14).Select(b => b.Name));
    }

    [Fact]
    public async Task NsfwjsMobileNetV2MatchesTensorFlowJs()
    {
        var zoo = await TestModelCache.EnsureAsync("nsfwjs-mobilenet_v2");
        var m = LoadTimed(zoo, "nsfwjs-mobilenet_v2");
        var reference = new ReferenceData("nsfwjs_mobilenet_v2");
        Assert.Equal(162, m.Model.Layers.Count());
        Assert.Equal(2619461, m.Model.CountParameters());
        Assert.Equal(98, m.Model.Layers.Count(l => !l.Trainable));
        Assert.True(m.CheckInput(reference.Inputs).Matches);

        var probs = m.Model.Forward(reference.Inputs);
        CompareRows("probabilities", probs, i => reference.Vector(i, "probabilities"), 1e-5f);
        CompareRows("flatten_1", m.Model.ActivationOf("flatten_1")!, i => reference.Vector(i, "flatten_1"), 1e-4f);
        for (int i = 0; i < reference.Images.Count; i++)
            Assert.Equal(reference.Images[i]!["top_class_index"]!.GetValue<int>(), ReferenceData.ArgMax(probs.Span.Slice(i * 5, 5)));
        Assert.Equal(reference.Images[0]!["top_class"]!.GetValue<string>(), m.Labels![ReferenceData.ArgMax(probs.Span[..5])]);

        // Intermediate activations of image 0.
        var img0 = m.Model.Cut("out_relu");
        img0.Forward(reference.Inputs.SliceBatch(0, 1));
        foreach (var (layer, spec) in reference.Images[0]!["intermediates"]!.AsObject())
        {
            var want = ReferenceData.ReadFloats(Path.Combine(reference.Folder, spec!["file"]!.GetValue<string>()));
            var got = img0.ActivationOf(layer)!;
            var (max, at) = ReferenceData.MaxDiff(got.Span, want);
            float scale = Math.Max(1f, want.Max(Math.Abs));
            output.WriteLine($"{layer} {got.Shape}: max |diff| {max:E2} at {at} (largest |value| {scale:G4})");
            Assert.True(max <= 1e-4f * scale, $"{layer}: max |diff| {max:E3} at {at} (got {got.Span[at]}, want {want[at]})");
        }
    }

    [Fact]
    public async Task NsfwjsMobileNetV2BlocksAndCuts()
    {
        var zoo = await TestModelCache.EnsureAsync("nsfwjs-mobilenet_v2");
        var m = zoo.Load("nsfwjs-mobilenet_v2", LoadOptions.Features(Pooling.Avg));
        Assert.Equal(new Shape(1280), m.Model.Outputs[0].Shape);
        Assert.Equal(new[] { "stem", "block_0" }.Concat(Enumerable.Range(1, 16).Select(k => $"block_{k}")).Append("out").Append("top"), m.Blocks.Select(b => b.Name));
        Assert.Equal("block_10_project_BN", m.Blocks["block_10"].Last.Name);
        m.Blocks.FreezeUpTo("block_12");
        Assert.False(m.Model.GetLayer("block_12_add").Trainable);
        Assert.True(m.Model.GetLayer("block_13_expand").Trainable);

        var mid = zoo.Load("nsfwjs-mobilenet_v2", new LoadOptions { CutAt = "block_10_project_BN", Pooling = Pooling.Avg });
        Assert.Equal(new Shape(96), mid.Model.Outputs[0].Shape);
    }

    [Fact]
    public async Task NsfwjsInceptionV3Loads()
    {
        var zoo = await TestModelCache.EnsureAsync("nsfwjs-inception_v3");
        var m = LoadTimed(zoo, "nsfwjs-inception_v3");
        Assert.Equal(new Shape(299, 299, 3), m.Model.Inputs[0].Shape);
        Assert.Equal(new[] { "stem" }.Concat(Enumerable.Range(0, 11).Select(k => $"mixed{k}")).Append("top"), m.Blocks.Select(b => b.Name));
        var x = new Tensor(new Shape(1, 299, 299, 3));
        x.Span.Fill(0.5f);
        var sw = Stopwatch.StartNew();
        var p = m.Model.Forward(x);
        output.WriteLine($"inception forward (1 image): {sw.ElapsedMilliseconds} ms; probabilities {string.Join(", ", p.ToArray().Select(v => v.ToString("F4")))}");
        Assert.Equal(1f, p.ToArray().Sum(), 4);
        var features = zoo.Load("nsfwjs-inception_v3", LoadOptions.Features(Pooling.Avg));
        Assert.Equal(new Shape(2048), features.Model.Outputs[0].Shape);
    }

    [Fact]
    public async Task WarnsOnceWhenRawPixelsReachTheModel()
    {
        var zoo = await TestModelCache.EnsureAsync("nsfwjs-mobilenet_v2");
        var m = zoo.Load("nsfwjs-mobilenet_v2");
        var writer = new StringWriter();
        m.WarningWriter = writer;
        var x = new Tensor(new Shape(1, 224, 224, 3));
        x.Span.Fill(200f);
        m.Predict(x);
        m.Predict(x);
        var text = writer.ToString();
        Assert.Contains("raw pixels in [0, 255]", text);
        Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
