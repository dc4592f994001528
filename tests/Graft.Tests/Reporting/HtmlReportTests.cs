using System.Text.RegularExpressions;
using System.Xml.Linq;
using Graft.Metrics;
using Graft.Reporting;

namespace Graft.Tests.Reporting;

public class HtmlReportTests
{
    private static HtmlReport Sample()
    {
        var cm = new ConfusionMatrix(new[] { "daisy", "rose<script>" });
        cm.Add(0, 0); cm.Add(0, 1); cm.Add(1, 1);
        var png = PngWriter.Encode(new byte[] { 0, 128, 255, 64 }, 2, 2, 1);
        return new HtmlReport
        {
            History = Enumerable.Range(1, 4).Select(e => new EpochRecord(e, "head", 1.0 / e, 0.5 + e / 10.0, 1.2 / e, 0.4 + e / 10.0, 1e-3, 1)).ToArray(),
            Confusion = cm,
            Misclassified = new[] { new Misclassified("val/daisy/1.jpg", "daisy", "rose<script>", 0.7, png) },
            Settings = new Dictionary<string, string> { ["model"] = "mobilenet_v1_0.75", ["strategy"] = "head" },
        };
    }

    [Fact]
    public void HasAllFivePartsAndIsSelfContained()
    {
        var html = Sample().Render();
        foreach (var id in new[] { "curves", "confusion", "per-class", "misclassified", "settings" })
            Assert.Contains($"<section id=\"{id}\"", html);
        Assert.DoesNotMatch(new Regex("(src|href)=\"https?:"), html);
        Assert.DoesNotContain("<script>", html); // class names are escaped
        Assert.Contains("data:image/png;base64,", html);
    }

    [Fact]
    public void ChartsAreWellFormedSvgWithOnePointPerEpoch()
    {
        var html = Sample().Render();
        var svgs = Regex.Matches(html, "<svg.*?</svg>", RegexOptions.Singleline).Select(m => XElement.Parse(m.Value)).ToArray();
        Assert.Equal(4, svgs.Length); // loss, accuracy, learning rate, heat map
        var loss = svgs[0].Descendants().Where(e => e.Name.LocalName == "polyline").ToArray();
        Assert.Equal(2, loss.Length);
        Assert.All(loss, p => Assert.Equal(4, p.Attribute("points")!.Value.Split(' ').Length));
        var cells = svgs[3].Descendants().Where(e => e.Name.LocalName == "rect").ToArray();
        Assert.Equal(4, cells.Length);
    }

    [Fact]
    public void PngWriterProducesAValidSignatureAndChunks()
    {
        var png = PngWriter.Encode(new byte[3 * 5 * 4], 5, 4, 3);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        Assert.Equal("IEND", System.Text.Encoding.ASCII.GetString(png, png.Length - 8, 4));
        Assert.Throws<ArgumentException>(() => PngWriter.Encode(new byte[5], 2, 2, 1));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void PngWriterRoundTripsThroughTheDecoder(int channels)
    {
        var rng = new Random(channels);
        var px = new byte[7 * 5 * channels];
        rng.NextBytes(px);
        var decoded = Graft.Data.Images.ImageDecoder.Decode(PngWriter.Encode(px, 7, 5, channels), "roundtrip.png");
        Assert.Equal((7, 5), (decoded.Width, decoded.Height));
        var expected = channels == 3 ? px : px.SelectMany(v => new[] { v, v, v }).ToArray();
        Assert.Equal(expected, decoded.Pixels);
    }
}
