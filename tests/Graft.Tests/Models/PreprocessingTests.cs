using System.Text.Json.Nodes;
using Graft.Models;
using Graft.Tensors;
using Graft.Tests.Support;

namespace Graft.Tests.Models;

public class PreprocessingTests
{
    [Fact]
    public void MinusOneToOneMapsPixelsLikeKerasTfMode()
    {
        var p = Preprocessing.MinusOneToOne;
        var dst = new float[6];
        p.Apply(new byte[] { 0, 255, 127, 128, 64, 192 }, dst);
        Assert.Equal(-1f, dst[0]);
        Assert.Equal(1f, dst[1], 6);
        Assert.Equal(127 / 127.5f - 1, dst[2], 6);
        Assert.Equal((-1f, 1f), (p.ExpectedMin, p.ExpectedMax));
    }

    [Fact]
    public void BgrModelsGetChannelsSwapped()
    {
        var p = new Preprocessing(ColorOrder.Bgr, [1, 1, 1], [-103.939f, -116.779f, -123.68f], "caffe");
        var dst = new float[3];
        p.Apply(new byte[] { 10, 20, 30 }, dst);
        Assert.Equal(new[] { 30 - 103.939f, 20 - 116.779f, 10 - 123.68f }, dst);
    }

    [Fact]
    public void NsfwjsPreprocessingMatchesTheReference()
    {
        // reference.json writes the preprocessing down: q/255, no mean or std, RGB.
        var refJson = JsonNode.Parse(File.ReadAllText(SharedData.PathTo("reference", "nsfwjs_mobilenet_v2", "reference.json")))!;
        Assert.Contains("div(255)", string.Join("\n", refJson["preprocessing"]!.AsArray().Select(s => s!.GetValue<string>())));
        var entry = ZooCatalog.Get("nsfwjs-mobilenet_v2");
        Assert.Same(Preprocessing.ZeroToOne, entry.Preprocessing);
        Assert.Equal(ColorOrder.Rgb, entry.Preprocessing.ColorOrder);
        Assert.Equal(299, ZooCatalog.Get("nsfwjs-inception_v3").InputSize);
        var mobilenetRef = JsonNode.Parse(File.ReadAllText(SharedData.PathTo("reference", "mobilenet_v1_0.75_224", "reference.json")))!;
        Assert.Contains("x = pixel*0.00784313725490196 + -1", mobilenetRef["preprocessing"]!.GetValue<string>());
        Assert.Same(Preprocessing.MinusOneToOne, ZooCatalog.Get("mobilenet_v1_0.75").Preprocessing);
    }

    [Theory]
    [InlineData(0f, 255f, "raw pixels in [0, 255]")]
    [InlineData(0f, 1f, "[0, 1]")]
    public void WarnsWhenAMinusOneToOneModelGetsOtherRanges(float lo, float hi, string guess)
    {
        var r = InputRangeCheck.Check(Preprocessing.MinusOneToOne, Tensor.FromArray(new[] { lo, (lo + hi) / 2, hi }, 1, 3));
        Assert.False(r.Matches);
        Assert.Contains(guess, r.Warning);
        Assert.Contains("[-1, 1]", r.Warning);
    }

    [Fact]
    public void WarnsWhenAZeroToOneModelGetsMinusOneToOne()
    {
        var r = InputRangeCheck.Check(Preprocessing.ZeroToOne, Tensor.FromArray(new[] { -1f, 0.2f, 1f }, 1, 3));
        Assert.Contains("[−1, 1]", r.Warning);
    }

    [Fact]
    public void CorrectInputsPass()
    {
        Assert.True(InputRangeCheck.Check(Preprocessing.MinusOneToOne, Tensor.FromArray(new[] { -0.9f, 0.1f, 0.95f }, 1, 3)).Matches);
        Assert.True(InputRangeCheck.Check(Preprocessing.ZeroToOne, Tensor.FromArray(new[] { 0f, 0.5f, 1f }, 1, 3)).Matches);
        Assert.False(InputRangeCheck.Check(Preprocessing.ZeroToOne, Tensor.FromArray(new[] { float.NaN, 0.5f }, 1, 2)).Matches);
    }

    [Fact]
    public void ReferenceInputsMatchTheirModelsContract()
    {
        foreach (var (dir, p) in new[] { ("mobilenet_v1_0.75_224", Preprocessing.MinusOneToOne), ("nsfwjs_mobilenet_v2", Preprocessing.ZeroToOne) })
        {
            var bytes = File.ReadAllBytes(SharedData.PathTo("reference", dir, "inputs_f32.bin"));
            var values = new float[bytes.Length / 4];
            Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
            Assert.True(InputRangeCheck.Check(p, Tensor.FromArray(values, values.Length)).Matches, dir);
        }
    }
}
