using System.Diagnostics;
using System.Text.Json.Nodes;
using Graft.Tests.Support;
using Graft.Tests.Transfer;
using Graft.Transfer;

namespace Graft.Tests.Cli;

/// <summary>The `graft` tool as a user runs it: a separate process, exit codes, one-line errors, --json.</summary>
public sealed class CliProcessTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("graft-cli-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);

    private static (int Code, string Out, string Err) Graft(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Graft.Cli.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(2))) { p.Kill(true); throw new TimeoutException("graft did not finish"); }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    [Fact]
    public void PredictFromAFreshProcessMatchesTheLibrary()
    {
        var data = SyntheticImages.Write(Path.Combine(_dir, "data"), size: 24);
        var r = TransferLearner.Run(TransferLearnerTests.TinyBackbone(), global::Graft.Data.Loading.ImageFolder.Load(data), new TransferOptions { Strategy = Strategy.Linear, BatchSize = 8 });
        var modelDir = Path.Combine(_dir, "model");
        Classifier.FromResult(r).Save(modelDir);
        var image = Directory.GetFiles(Path.Combine(data, "val", "class_1")).Order().First();
        var (code, stdout, stderr) = Graft("predict", modelDir, image, "--json");
        Assert.True(code == 0, stderr);
        var json = JsonNode.Parse(stdout)!;
        var expected = Classifier.Load(modelDir).Predict(image);
        Assert.Equal(expected.Label, json["predictions"]![0]!["label"]!.GetValue<string>());
        Assert.Equal(expected.Confidence, json["predictions"]![0]!["confidence"]!.GetValue<float>());

        var (evalCode, _, evalErr) = Graft("evaluate", modelDir, data, "--json", Path.Combine(_dir, "eval.json"));
        Assert.True(evalCode == 0, evalErr);
        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(_dir, "eval.json")))!;
        Assert.Equal(r.Validation.Accuracy, metrics["accuracy"]!.GetValue<double>(), 9);
    }

    [Fact]
    public void ErrorsAreOneLinePlusAHintWithoutAStackTrace()
    {
        var (code, _, err) = Graft("train", Path.Combine(_dir, "missing"), "--out", Path.Combine(_dir, "m"));
        Assert.Equal(2, code);
        Assert.StartsWith("graft: error: data folder", err);
        Assert.Contains("hint:", err);
        Assert.DoesNotContain("   at ", err);

        var (code2, _, err2) = Graft("train", _dir, "--epochs", "many", "--out", "x");
        Assert.Equal(2, code2);
        Assert.Contains("--epochs expects an integer", err2);

        var bad = Path.Combine(_dir, "broken");
        Directory.CreateDirectory(bad);
        File.WriteAllText(Path.Combine(bad, "manifest.json"), "{ not json");
        var (code3, _, err3) = Graft("predict", bad, bad);
        Assert.Equal(1, code3);
        Assert.Contains("manifest.json", err3);
    }

    [Fact]
    public void ExtractWritesFeaturesWithProvenanceThatMatchTheLibrary()
    {
        var model = SharedData.PathTo("models", "mobilenet_v1_0.75_224");
        var data = SyntheticImages.Write(Path.Combine(_dir, "data"), size: 40, trainPerClass: 2, valPerClass: 1);
        var output = Path.Combine(_dir, "features.safetensors");
        var (code, stdout, stderr) = Graft("extract", model, data, "--layer", "conv_pw_13_relu", "--pool", "avg", "--out", output);
        Assert.True(code == 0, stderr);
        Assert.Contains("features of conv_pw_13_relu", stdout);

        var set = FeatureSet.Load(output);
        Assert.Equal(768, set.Dimension);
        Assert.Equal(Directory.GetFiles(data, "*.png", SearchOption.AllDirectories).Length, set.Count);
        Assert.Contains("conv_pw_13_relu", set.Provenance.Layer);
        Assert.Contains("avg", set.Provenance.Layer);
        Assert.Equal("mobilenet_v1_0.75_224", set.Provenance.Model);

        // The same image through the library's network and pooling gives the same row.
        var backbone = global::Graft.Models.ModelZoo.LoadFromPath(model, global::Graft.Models.LoadOptions.Full, global::Graft.Models.Preprocessing.MinusOneToOne).ToBackbone("m");
        var tap = TransferLearner.PooledTaps(backbone.Model, new[] { "conv_pw_13_relu" }, HeadPooling.Avg);
        int row = 0;
        using var loader = new global::Graft.Data.Loading.ImageLoader(
            new global::Graft.Data.Loading.ImageDataset(set.ClassNames, new[] { new global::Graft.Data.Loading.ImageSample(set.ImagePaths[row], set.Labels[row]) }),
            new global::Graft.Data.Loading.ImageLoaderOptions { BatchSize = 1, ImageSize = 224, Preprocessing = backbone.Preprocessing });
        var expected = FeatureExtractor.Extract(tap, loader).Features[0];
        for (int i = 0; i < set.Dimension; i++) Assert.Equal(expected[i], set.Features[row * set.Dimension + i], 4);

        var (badCode, _, badErr) = Graft("extract", model, data, "--layer", "no_such_layer", "--out", output);
        Assert.Equal(2, badCode);
        Assert.Contains("no_such_layer", badErr);
    }
}
