using System.Text.Json.Nodes;
using Graft.Import.TfJs;
using Graft.Models;
using Graft.Tensors;
using Graft.Tests.Import;

namespace Graft.Tests.Models;

public class LoadFromPathTests
{
    [Fact]
    public void LoadsAnyLayersModelAndCutsAtANamedLayer()
    {
        using var f = new TfJsFixture();
        f.WriteFolder();
        var full = ModelZoo.LoadFromPath(f.Folder, preprocessing: Preprocessing.ZeroToOne, labels: ["a", "b", "c"]);
        Assert.Null(full.Entry);
        Assert.Equal(new Shape(3), full.Model.Outputs[0].Shape);
        Assert.Equal(Architecture.Other, full.Blocks.Architecture);

        var cut = ModelZoo.LoadFromPath(f.Folder, new LoadOptions { CutAt = "act" });
        Assert.Equal("act", cut.Model.Outputs[0].Name);
        Assert.False(cut.Model.HasLayer("dense_b"));
        Assert.Null(cut.Preprocessing);
        Assert.True(cut.CheckInput(Tensor.FromArray(new[] { 500f, 0, 0, 0 }, 1, 4)).Matches);
    }

    [Fact]
    public void WithoutTheTopAnUnknownArchitectureNeedsACutPoint()
    {
        using var f = new TfJsFixture();
        f.WriteFolder();
        var e = Assert.Throws<ArgumentException>(() => ModelZoo.LoadFromPath(f.Folder, new LoadOptions { IncludeTop = false }));
        Assert.Contains("CutAt", e.Message);
    }

    [Fact]
    public void PoolingNeedsAFeatureMap()
    {
        using var f = new TfJsFixture();
        f.WriteFolder();
        var e = Assert.Throws<ArgumentException>(() => ModelZoo.LoadFromPath(f.Folder, new LoadOptions { CutAt = "act", Pooling = Pooling.Avg }));
        Assert.Contains("(H, W, C)", e.Message);
    }

    [Fact]
    public void NestedFunctionalModelsAreRefusedClearly()
    {
        using var f = new TfJsFixture();
        f.WriteFolder(TfJsFixture.Topology(TfJsFixture.Layer("Functional", "inner_model", new JsonObject { ["layers"] = new JsonArray() }, "softmax")));
        var e = Assert.Throws<ModelFormatException>(() => ModelZoo.LoadFromPath(f.Folder));
        Assert.Equal("inner_model", e.Item);
        Assert.Contains("nested Functional", e.Reason);
    }

    [Fact]
    public void PredictWarnsOnceAboutTheInputRange()
    {
        using var f = new TfJsFixture();
        f.WriteFolder();
        var m = ModelZoo.LoadFromPath(f.Folder, preprocessing: Preprocessing.MinusOneToOne);
        var log = new StringWriter();
        m.WarningWriter = log;
        var raw = Tensor.FromArray(new[] { 0f, 255f, 12f, 40f, 3f, 200f, 17f, 90f }, 2, 4);
        m.Predict(raw);
        m.Predict(raw);
        Assert.Single(log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("raw pixels in [0, 255]", log.ToString());
    }
}
