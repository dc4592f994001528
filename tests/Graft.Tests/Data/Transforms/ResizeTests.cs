using Graft.Data.Images;
using Graft.Data.Transforms;
using Graft.Tests.Data.Support;

namespace Graft.Tests.Data.Transforms;

/// <summary>Resize uses TensorPrimitives' vector paths; "Kernels" reruns these with AVX-512/AVX2/all intrinsics off.</summary>
[Trait("Category", "Kernels")]
public class ResizeTests
{
    public static TheoryData<string> PillowResizes()
    {
        var d = new TheoryData<string>();
        foreach (var r in PillowFixtures.Records.Where(r => r.Expected.StartsWith("resize_", StringComparison.Ordinal))) d.Add(r.Expected);
        return d;
    }

    [Theory]
    [MemberData(nameof(PillowResizes))]
    public void Antialiased_MatchesPillowBilinear(string expected)
    {
        var r = PillowFixtures.Records.Single(x => x.Expected == expected);
        var photo = ImageDecoder.Decode(PillowFixtures.Path(r.Image));
        var resized = ImageResize.Resize(photo, r.Width, r.Height);
        PillowFixtures.AssertClose(PillowFixtures.Expected(r), resized, 1, r.Pillow);
    }

    [Fact]
    public void Antialiased_Downscale_AveragesEveryPixel()
    {
        // A 1-pixel checkerboard shrunk 4x must come out flat grey; a two-tap bilinear would alias it.
        var img = new RgbImage(64, 64);
        for (int i = 0; i < 64 * 64; i++) img.Pixels.AsSpan(i * 3, 3).Fill((byte)(((i % 64) + (i / 64)) % 2 == 0 ? 0 : 255));
        var small = ImageResize.Resize(img, 16, 16);
        Assert.All(small.Span.ToArray()[6..^6], v => Assert.InRange(v, 120, 135));
        var aliased = ImageResize.Resize(img, 16, 16, ResizeMethod.Asymmetric);
        Assert.All(aliased.Span.ToArray(), v => Assert.True(v is 0 or 255));
    }

    [Fact]
    public void ExactVariants_FollowTheirCoordinateFormulas()
    {
        // One row 0, 100, 200 (grey) resized to 5 wide.
        var img = new RgbImage(3, 1, [0, 0, 0, 100, 100, 100, 200, 200, 200]);
        byte[] Row(ResizeMethod m) => ImageResize.Resize(img, 5, 1, m).Span.ToArray().Where((_, i) => i % 3 == 0).ToArray();
        Assert.Equal(new byte[] { 0, 50, 100, 150, 200 }, Row(ResizeMethod.AlignCorners)); // src = i * 2/4
        Assert.Equal(new byte[] { 0, 60, 120, 180, 200 }, Row(ResizeMethod.Asymmetric)); // src = i * 3/5
        Assert.Equal(new byte[] { 0, 40, 100, 160, 200 }, Row(ResizeMethod.HalfPixel)); // src = (i + .5) * 3/5 - .5
    }

    [Fact]
    public void Identity_IsACopy_AndShorterSideKeepsAspect()
    {
        var photo = ImageDecoder.Decode(PillowFixtures.Path("photo.png"));
        Assert.Equal(photo.Span.ToArray(), ImageResize.Resize(photo, 96, 64).Span.ToArray());
        Assert.Equal(photo.Span.ToArray(), ImageResize.Resize(photo, 96, 64, ResizeMethod.HalfPixel).Span.ToArray());
        var s = ImageResize.ResizeShorterSide(photo, 32);
        Assert.Equal((48, 32), (s.Width, s.Height));
        Assert.Equal((224, 336), ImageResize.ShorterSideSize(100, 150, 224));
    }

    [Fact]
    public void BoxResize_MatchesCropThenResize_AwayFromTheBoxEdges()
    {
        // As in Pillow, a box resize lets the filter read just outside the box, so only the edge columns may differ.
        var photo = ImageDecoder.Decode(PillowFixtures.Path("photo.png"));
        var viaBox = ImageResize.Resize(photo, 20, 20, ResizeMethod.Antialiased, new CropBox(16, 0, 80, 64));
        var viaCrop = ImageResize.Resize(Crop.Region(photo, 16, 0, 64, 64), 20, 20);
        for (int y = 0; y < 20; y++)
            Assert.Equal(viaCrop.Row(y)[3..^3].ToArray(), viaBox.Row(y)[3..^3].ToArray());
        Assert.Equal(ImageResize.Resize(photo, 20, 20).Span.ToArray(),
            ImageResize.Resize(photo, 20, 20, ResizeMethod.Antialiased, CropBox.Of(96, 64)).Span.ToArray());
    }

    [Fact]
    public void Crops_CenterAndAspect()
    {
        var photo = ImageDecoder.Decode(PillowFixtures.Path("photo.png"));
        var c = Crop.Center(photo, 64, 64);
        Assert.Equal(photo.Row(0).Slice(16 * 3, 64 * 3).ToArray(), c.Row(0).ToArray());
        Assert.Equal(new CropBox(16, 0, 80, 64), Crop.ToAspectRatioBox(96, 64, 1));
        Assert.Equal(new CropBox(0, 8, 96, 56), Crop.ToAspectRatioBox(96, 64, 2));
        Assert.Throws<ArgumentException>(() => Crop.Center(photo, 100, 10));
    }
}
