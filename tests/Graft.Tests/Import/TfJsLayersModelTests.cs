using System.Text.Json.Nodes;
using Graft.Import.TfJs;
using Graft.Layers;
using Graft.Tensors;

namespace Graft.Tests.Import;

public class TfJsLayersModelTests
{
    private static readonly float[] Input = { 0.5f, -1f, 2f, 0.25f };

    /// <summary>softmax(W2 · tanh(relu(W1 x + b1)) + b2) with the fixture's weights, in double precision.</summary>
    private static double[] Expected()
    {
        var w1 = TfJsFixture.Values(0, 20); var b1 = TfJsFixture.Values(1, 5);
        var w2 = TfJsFixture.Values(2, 15); var b2 = TfJsFixture.Values(3, 3);
        var h = new double[5];
        for (int j = 0; j < 5; j++)
        {
            double s = b1[j];
            for (int i = 0; i < 4; i++) s += Input[i] * w1[i * 5 + j];
            h[j] = Math.Tanh(Math.Max(0, s));
        }
        var z = new double[3];
        for (int k = 0; k < 3; k++)
        {
            z[k] = b2[k];
            for (int j = 0; j < 5; j++) z[k] += h[j] * w2[j * 3 + k];
        }
        var e = z.Select(v => Math.Exp(v - z.Max())).ToArray();
        return e.Select(v => v / e.Sum()).ToArray();
    }

    private static float[] Run(Graft.Graph.Model m) => m.Forward(Tensor.FromArray(Input, 1, 4)).ToArray();

    [Fact]
    public void LoadsFunctionalModelAndComputesItsOutput()
    {
        using var f = new TfJsFixture();
        f.WriteFolder();
        var m = TfJsLayersModel.Load(f.Folder);
        Assert.Equal("tiny", m.Name);
        Assert.Equal(new[] { "input_1", "dense_a", "act", "dense_b", "softmax" }, m.Layers.Select(l => l.Name));
        Assert.Equal(TfJsFixture.Values(0, 20), m.GetLayer("dense_a").Parameters[0].Value.ToArray());
        var y = Run(m);
        var expected = Expected();
        for (int k = 0; k < 3; k++) Assert.Equal(expected[k], y[k], 5);
    }

    [Fact]
    public void KeepsTheFilesTrainableFlags()
    {
        using var f = new TfJsFixture();
        f.WriteFolder();
        var m = TfJsLayersModel.Load(f.ModelJson);
        Assert.False(m.GetLayer("dense_a").Trainable);
        Assert.True(m.GetLayer("dense_b").Trainable);
        Assert.Equal(18, m.CountParameters(trainable: true));
    }

    [Theory]
    [InlineData("float16", 1e-3)]
    [InlineData("uint16", 1e-5)]
    [InlineData("uint8", 1e-3)]
    public void DecodesQuantizedWeights(string storage, double tolerance)
    {
        using var f = new TfJsFixture();
        f.WriteFolder(storage: storage);
        var m = TfJsLayersModel.Load(f.Folder);
        var got = m.GetLayer("dense_b").Parameters[0].Value.ToArray();
        var want = TfJsFixture.Values(2, 15);
        for (int i = 0; i < want.Length; i++) Assert.True(Math.Abs(got[i] - want[i]) <= tolerance, $"value {i}: {got[i]} vs {want[i]}");
    }

    [Fact]
    public void Uint8DequantizationRoundsOnceLikeTfjs()
    {
        var w = new WeightEntry("w", [3], StorageType.Uint8, -0.87334511607301, 0.006666756611244351);
        var dst = new float[3];
        WeightDecoder.Decode(w, new byte[] { 0, 131, 255 }, dst);
        Assert.Equal((float)(131 * 0.006666756611244351 + -0.87334511607301), dst[1]);
        Assert.Equal((float)-0.87334511607301, dst[0]);
    }

    [Theory]
    [InlineData("{0}:0")]
    [InlineData("model_1/{0}")]
    [InlineData("outer/model_1/{0}:0")]
    public void MapsScopedAndSuffixedWeightNames(string pattern)
    {
        using var f = new TfJsFixture();
        f.WriteFolder(rename: n => string.Format(pattern, n));
        var y = Run(TfJsLayersModel.Load(f.Folder));
        Assert.Equal(Expected()[0], y[0], 5);
    }

    [Fact]
    public void LoadsSequentialWithAndWithoutInputLayer()
    {
        using var f = new TfJsFixture();
        f.WriteFolder();
        var root = f.ReadRoot();
        var layers = (JsonArray)root["modelTopology"]!["model_config"]!["config"]!["layers"]!;
        var seqLayers = new JsonArray();
        foreach (var l in layers.Skip(1))
        {
            var c = (JsonObject)l!["config"]!.DeepClone();
            seqLayers.Add(new JsonObject { ["class_name"] = l["class_name"]!.GetValue<string>(), ["config"] = c });
        }
        // Keras 2.0 style: the first layer carries batch_input_shape; the config is a bare list.
        ((JsonObject)seqLayers[0]!["config"]!)["batch_input_shape"] = new JsonArray(null, 4);
        root["modelTopology"]!["model_config"] = new JsonObject { ["class_name"] = "Sequential", ["config"] = seqLayers };
        f.WriteRoot(root);
        var m = TfJsLayersModel.Load(f.Folder);
        Assert.Equal("dense_a_input", m.Inputs[0].Name);
        Assert.Equal(Expected()[2], Run(m)[2], 5);

        // Later style: {name, layers} with an explicit InputLayer, and Keras 3's batch_shape.
        var withInput = new JsonArray(new JsonObject { ["class_name"] = "InputLayer", ["config"] = new JsonObject { ["name"] = "in", ["batch_shape"] = new JsonArray(null, 4) } });
        foreach (var l in seqLayers) withInput.Add(l!.DeepClone());
        ((JsonObject)withInput[1]!["config"]!).Remove("batch_input_shape");
        root["modelTopology"]!["model_config"] = new JsonObject { ["class_name"] = "Sequential", ["config"] = new JsonObject { ["name"] = "seq", ["layers"] = withInput } };
        f.WriteRoot(root);
        m = TfJsLayersModel.Load(f.Folder);
        Assert.Equal("seq", m.Name);
        Assert.Equal(Expected()[1], Run(m)[1], 5);
    }

    [Fact]
    public void AcceptsFunctionalClassNameAndKeras3Nodes()
    {
        using var f = new TfJsFixture();
        f.WriteFolder();
        var root = f.ReadRoot();
        var mc = root["modelTopology"]!["model_config"]!;
        mc["class_name"] = "Functional";
        foreach (var l in (JsonArray)mc["config"]!["layers"]!)
        {
            var nodes = (JsonArray)l!["inbound_nodes"]!;
            if (nodes.Count == 0) continue;
            var src = nodes[0]![0]![0]!.GetValue<string>();
            l["inbound_nodes"] = new JsonArray(new JsonObject
            {
                ["args"] = new JsonArray(new JsonObject { ["class_name"] = "__keras_tensor__", ["config"] = new JsonObject { ["keras_history"] = new JsonArray(src, 0, 0) } }),
                ["kwargs"] = new JsonObject(),
            });
            ((JsonObject)l["config"]!)["dtype"] = new JsonObject { ["module"] = "keras", ["class_name"] = "DTypePolicy", ["config"] = new JsonObject { ["name"] = "float32" } };
        }
        mc["config"]!["input_layers"] = new JsonArray("input_1", 0, 0);
        f.WriteRoot(root);
        Assert.Equal(Expected()[0], Run(TfJsLayersModel.Load(f.Folder))[0], 5);
    }

    [Fact]
    public void FlattensANestedSequential()
    {
        using var f = new TfJsFixture();
        f.WriteFolder();
        var root = f.ReadRoot();
        var config = root["modelTopology"]!["model_config"]!["config"]!;
        var layers = (JsonArray)config["layers"]!;
        // Move act and dense_b into a nested Sequential called "inner".
        var act = layers[2]!.DeepClone(); var denseB = layers[3]!.DeepClone();
        var inner = TfJsFixture.Layer("Sequential", "inner", new JsonObject { ["layers"] = new JsonArray(act, denseB) }, "dense_a");
        layers.RemoveAt(3); layers.RemoveAt(2);
        layers.Insert(2, inner);
        layers[3]!["inbound_nodes"] = new JsonArray(new JsonArray(new JsonArray("inner", 0, 0, new JsonObject())));
        f.WriteRoot(root);
        var m = TfJsLayersModel.Load(f.Folder);
        Assert.True(m.HasLayer("dense_b"));
        Assert.Equal(Expected()[0], Run(m)[0], 5);
    }

    [Fact]
    public void LoadsNsfwjsPackagingLikeTheFolderForm()
    {
        using var a = new TfJsFixture();
        using var b = new TfJsFixture();
        a.WriteFolder(storage: "uint8");
        b.WritePackaged(storage: "uint8");
        var fromFolder = TfJsLayersModel.Load(a.Folder);
        var fromPackage = TfJsLayersModel.Load(Path.Combine(b.Folder, "model.min.js"));
        Assert.False(fromPackage.GetLayer("dense_a").Trainable);
        foreach (var (p, q) in fromFolder.Parameters.Zip(fromPackage.Parameters))
            Assert.Equal(p.Value.ToArray(), q.Value.ToArray());
    }

    [Fact]
    public void TopologyOnlyLeavesWeightsInitialized()
    {
        using var f = new TfJsFixture();
        f.WriteFolder();
        File.Delete(Path.Combine(f.Folder, "group1-shard2of2.bin"));
        var m = TfJsLayersModel.LoadTopology(f.Folder);
        Assert.Equal(5, m.Layers.Count());
    }
}
