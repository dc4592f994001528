using System.Text.Json.Nodes;
using Graft.Graph;
using Graft.Kernels;
using Graft.Layers;
using Graft.Saving;
using Graft.Tensors;

namespace Graft.Tests.Saving;

public sealed class ModelFolderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("graft-mf-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);

    private static Model Mlp(int seed)
    {
        var input = LayerCalls.Input(5);
        var h = new Dense(7, ActivationKind.Relu, name: "hidden").Call(new Random(seed), input);
        return new Model(input, new Dense(3, ActivationKind.Softmax, name: "probs").Call(new Random(seed + 1), h));
    }

    private static readonly JsonObject s_pre = new() { ["scale"] = 1 / 127.5, ["offset"] = -1 };

    [Fact]
    public void ReloadsToIdenticalPredictions()
    {
        var model = Mlp(1);
        var x = Tensor.FromArray(Enumerable.Range(0, 20).Select(i => (float)Math.Sin(i)).ToArray(), 4, 5);
        var expected = model.Predict(x).ToArray();
        var path = Path.Combine(_dir, "m");
        ModelFolder.Save(path, model, new[] { "a", "b", "c" }, s_pre);
        var loaded = ModelFolder.Load(path);
        Assert.Equal(expected, loaded.Model.Predict(x).ToArray());
        Assert.Equal(new[] { "a", "b", "c" }, loaded.ClassNames);
        Assert.Equal(-1, loaded.Preprocessing["offset"]!.GetValue<double>());
    }

    [Fact]
    public void SavingOverAnExistingModelReplacesItCompletely()
    {
        var path = Path.Combine(_dir, "m");
        ModelFolder.Save(path, Mlp(1), new[] { "a", "b", "c" }, s_pre);
        ModelFolder.Save(path, Mlp(5), new[] { "x", "y", "z" }, s_pre);
        Assert.Equal(new[] { "x", "y", "z" }, ModelFolder.Load(path).ClassNames);
        Assert.Single(Directory.GetDirectories(_dir));
    }

    [Fact]
    public void FilesFromDifferentSavesAreRefused()
    {
        var a = Path.Combine(_dir, "a");
        var b = Path.Combine(_dir, "b");
        ModelFolder.Save(a, Mlp(1), new[] { "a", "b", "c" }, s_pre);
        ModelFolder.Save(b, Mlp(2), new[] { "a", "b", "c" }, s_pre);
        File.Copy(Path.Combine(b, "weights.safetensors"), Path.Combine(a, "weights.safetensors"), overwrite: true);
        var e = Assert.Throws<ModelFolderException>(() => ModelFolder.Load(a));
        Assert.Contains("weights.safetensors does not match", e.Message);
    }

    [Fact]
    public void AMissingFileIsNamed()
    {
        var a = Path.Combine(_dir, "a");
        ModelFolder.Save(a, Mlp(1), new[] { "a", "b", "c" }, s_pre);
        File.Delete(Path.Combine(a, "classes.json"));
        Assert.Contains("classes.json is missing", Assert.Throws<ModelFolderException>(() => ModelFolder.Load(a)).Message);
        Assert.Throws<DirectoryNotFoundException>(() => ModelFolder.Load(Path.Combine(_dir, "nope")));
    }
}
