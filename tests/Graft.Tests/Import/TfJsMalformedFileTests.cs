using System.Text;
using System.Text.Json.Nodes;
using Graft.Import.TfJs;

namespace Graft.Tests.Import;

/// <summary>Every broken file fails with a <see cref="ModelFormatException"/> naming the file, the item and the reason.</summary>
public class TfJsMalformedFileTests
{
    private static ModelFormatException LoadFails(string path) =>
        Assert.Throws<ModelFormatException>(() => TfJsLayersModel.Load(path));

    private static JsonArray LayersOf(JsonObject root) => (JsonArray)root["modelTopology"]!["model_config"]!["config"]!["layers"]!;

    [Fact]
    public void TruncatedShardNamesTheFirstWeightThatDoesNotFit()
    {
        using var f = new TfJsFixture();
        f.WriteFolder();
        var shard = Path.Combine(f.Folder, "group1-shard2of2.bin");
        var bytes = File.ReadAllBytes(shard);
        File.WriteAllBytes(shard, bytes[..^10]);
        var e = LoadFails(f.Folder);
        Assert.Equal("dense_b/bias", e.Item);
        Assert.Contains("truncated", e.Reason);
        Assert.EndsWith("model.json", e.FilePath);
    }

    [Fact]
    public void ShardsLongerThanTheManifestSaysAreRefused()
    {
        using var f = new TfJsFixture();
        f.WriteFolder();
        File.AppendAllText(Path.Combine(f.Folder, "group1-shard2of2.bin"), "extra");
        Assert.Contains("sizes disagree", LoadFails(f.Folder).Reason);
    }

    [Fact]
    public void ManifestShapeThatDisagreesWithTheBytesIsRefused()
    {
        using var f = new TfJsFixture();
        f.WriteFolder();
        var root = f.ReadRoot();
        root["weightsManifest"]![0]!["weights"]![3]!["shape"] = new JsonArray(4);
        f.WriteRoot(root);
        var e = LoadFails(f.Folder);
        // The shape no longer fits the layer; that is caught before any shard is read.
        Assert.Equal("dense_b/bias", e.Item);
    }

    [Fact]
    public void HugeDeclaredShapeIsRefusedWithoutAllocatingIt()
    {
        using var f = new TfJsFixture();
        f.WriteFolder();
        var root = f.ReadRoot();
        // An extra 8 GB weight declared in a file of a few hundred bytes (optimizer state: bound to no layer,
        // so only the size check against the shard files can stop it).
        ((JsonArray)root["weightsManifest"]![0]!["weights"]!).Add(new JsonObject { ["name"] = "opt/huge", ["shape"] = new JsonArray(46340, 46340), ["dtype"] = "float32", ["group"] = "optimizer" });
        f.WriteRoot(root);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = LoadFails(f.Folder);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 50_000_000, "the reader allocated from the declared size");
        Assert.Equal("opt/huge", e.Item);
        Assert.Contains("truncated", e.Reason);
    }

    [Fact]
    public void HugeGroupIsRefusedBeforeReadingShards()
    {
        using var f = new TfJsFixture();
        f.WriteFolder();
        var root = f.ReadRoot();
        root["weightsManifest"]![0]!["weights"]![0]!["shape"] = new JsonArray(40000, 50000);
        f.WriteRoot(root);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = LoadFails(f.Folder);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 50_000_000);
        Assert.Equal("dense_a/kernel", e.Item);
        Assert.Contains("does not fit layer 'dense_a'", e.Reason);
    }

    [Fact]
    public void MissingShardNamesTheShard()
    {
        using var f = new TfJsFixture();
        f.WriteFolder();
        File.Delete(Path.Combine(f.Folder, "group1-shard1of2.bin"));
        var e = LoadFails(f.Folder);
        Assert.EndsWith("group1-shard1of2.bin", e.FilePath);
        Assert.Contains("missing", e.Reason);
    }

    [Theory]
    [InlineData("../outside.bin")]
    [InlineData("/etc/passwd")]
    [InlineData("..")]
    public void ShardPathsThatLeaveTheFolderAreRefused(string path)
    {
        using var f = new TfJsFixture();
        f.WriteFolder();
        var root = f.ReadRoot();
        root["weightsManifest"]![0]!["paths"] = new JsonArray(path);
        f.WriteRoot(root);
        Assert.Contains("plain file name", LoadFails(f.Folder).Reason);
    }

    [Fact]
    public void BadBase64InAPackagedShardIsRefused()
    {
        using var f = new TfJsFixture();
        f.WritePackaged();
        var shard = Path.Combine(f.Folder, "group1-shard1of1.min.js");
        File.WriteAllText(shard, TfJsFixture.Wrap("g", "h", "\"AAAA*not base64*\""));
        var e = LoadFails(f.Folder);
        Assert.EndsWith("group1-shard1of1.min.js", e.FilePath);
        Assert.Contains("base64", e.Reason);
    }

    [Fact]
    public void PackagedFileWithoutAnExportIsRefused()
    {
        using var f = new TfJsFixture();
        f.WritePackaged();
        File.WriteAllText(Path.Combine(f.Folder, "model.min.js"), "console.log('hello')");
        Assert.Contains("no `exports", LoadFails(f.Folder).Reason);
    }

    [Fact]
    public void WeightShapeThatDoesNotFitTheLayerNamesBoth()
    {
        using var f = new TfJsFixture();
        f.WriteFolder();
        var root = f.ReadRoot();
        LayersOf(root)[1]!["config"]!["units"] = 6;
        f.WriteRoot(root);
        var e = LoadFails(f.Folder);
        Assert.Equal("dense_a/kernel", e.Item);
        Assert.Contains("(4, 5)", e.Reason);
        Assert.Contains("(4, 6)", e.Reason);
    }

    [Fact]
    public void UnknownLayerClassNamesLayerAndClass()
    {
        using var f = new TfJsFixture();
        f.WriteFolder(TfJsFixture.Topology(TfJsFixture.Layer("FancyAttention", "fancy", new JsonObject(), "softmax")));
        var e = LoadFails(f.Folder);
        Assert.Equal("fancy", e.Item);
        Assert.Contains("FancyAttention", e.Reason);
        Assert.IsType<NotSupportedException>(e.InnerException);
    }

    [Fact]
    public void LambdaLayerIsRefused()
    {
        using var f = new TfJsFixture();
        f.WriteFolder(TfJsFixture.Topology(TfJsFixture.Layer("Lambda", "lam", new JsonObject { ["function"] = "4wEAAAAA" }, "softmax")));
        var e = LoadFails(f.Folder);
        Assert.Equal("lam", e.Item);
        Assert.Contains("Lambda", e.Reason);
    }

    [Fact]
    public void DeeplyNestedJsonIsRefusedClearly()
    {
        using var f = new TfJsFixture();
        var deep = new StringBuilder("{\"modelTopology\":").Append('[', 10_000).Append(']', 10_000).Append('}').ToString();
        File.WriteAllText(f.ModelJson, deep);
        var e = LoadFails(f.Folder);
        Assert.Contains("nested deeper than 256", e.Reason);
    }

    [Fact]
    public void DuplicateKeysAreRefused()
    {
        using var f = new TfJsFixture();
        f.WriteFolder();
        var text = File.ReadAllText(f.ModelJson).Replace("\"units\":5", "\"units\":5,\"units\":7");
        File.WriteAllText(f.ModelJson, text);
        var e = LoadFails(f.Folder);
        Assert.Contains("duplicate key \"units\"", e.Reason);
    }

    [Fact]
    public void InvalidJsonIsRefused()
    {
        using var f = new TfJsFixture();
        File.WriteAllText(f.ModelJson, "{\"modelTopology\": {");
        Assert.Contains("invalid JSON", LoadFails(f.Folder).Reason);
    }

    [Fact]
    public void GraphModelsAreNamedAsSuch()
    {
        using var f = new TfJsFixture();
        File.WriteAllText(f.ModelJson, "{\"format\":\"graph-model\",\"modelTopology\":{}}");
        Assert.Contains("not graph models", LoadFails(f.Folder).Reason);
    }

    [Fact]
    public void DanglingInboundReferenceIsRefused()
    {
        using var f = new TfJsFixture();
        f.WriteFolder(TfJsFixture.Topology(TfJsFixture.Layer("Activation", "extra", new JsonObject { ["activation"] = "relu" }, "nowhere")));
        var e = LoadFails(f.Folder);
        Assert.Equal("extra", e.Item);
        Assert.Contains("'nowhere' is not a layer", e.Reason);
    }

    [Fact]
    public void SharedLayerIsRefused()
    {
        using var f = new TfJsFixture();
        f.WriteFolder();
        var root = f.ReadRoot();
        var act = LayersOf(root)[2]!;
        ((JsonArray)act["inbound_nodes"]!).Add(new JsonArray(new JsonArray("dense_b", 0, 0, new JsonObject())));
        f.WriteRoot(root);
        var e = LoadFails(f.Folder);
        Assert.Equal("act", e.Item);
        Assert.Contains("shared layer", e.Reason);
    }

    [Fact]
    public void ManifestWeightWithNoLayerIsRefused()
    {
        using var f = new TfJsFixture();
        f.WriteFolder(rename: n => n.Replace("dense_b", "dense_z"));
        var e = LoadFails(f.Folder);
        Assert.Equal("dense_z/kernel", e.Item);
    }

    [Fact]
    public void UnknownQuantizationIsRefused()
    {
        using var f = new TfJsFixture();
        f.WriteFolder();
        var root = f.ReadRoot();
        root["weightsManifest"]![0]!["weights"]![0]!["quantization"] = new JsonObject { ["dtype"] = "int4" };
        f.WriteRoot(root);
        var e = LoadFails(f.Folder);
        Assert.Equal("dense_a/kernel", e.Item);
        Assert.Contains("int4", e.Reason);
    }

    [Fact]
    public void MissingFileIsAFormatErrorNotACrash()
    {
        var e = LoadFails(Path.Combine(Path.GetTempPath(), "graft-no-such-model", "model.json"));
        Assert.Contains("not found", e.Reason);
    }
}
