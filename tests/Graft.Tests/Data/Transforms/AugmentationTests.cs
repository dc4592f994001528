using Graft.Data;
using Graft.Data.Images;
using Graft.Data.Transforms;
using Graft.Tests.Data.Support;

namespace Graft.Tests.Data.Transforms;

public class AugmentationTests
{
    private static readonly RgbImage s_photo = ImageDecoder.Decode(PillowFixtures.Path("photo.png"));

    [Fact]
    public void SameStream_SameImage_OtherStream_OtherImage()
    {
        var a = StableRandom.Derive(42, 1, 7);
        var b = StableRandom.Derive(42, 1, 7);
        var c = StableRandom.Derive(42, 2, 7);
        var x = Augmentation.Standard.Apply(s_photo, 32, 32, ref a);
        var y = Augmentation.Standard.Apply(s_photo, 32, 32, ref b);
        var z = Augmentation.Standard.Apply(s_photo, 32, 32, ref c);
        Assert.Equal(x.Span.ToArray(), y.Span.ToArray());
        Assert.NotEqual(x.Span.ToArray(), z.Span.ToArray());
        Assert.Equal((32, 32), (x.Width, x.Height));
    }

    [Fact]
    public void None_IsTheCentreCropResize()
    {
        var rng = new StableRandom(1);
        var out1 = Augmentation.None.Apply(s_photo, 32, 32, ref rng);
        var expected = ImageResize.Resize(Crop.Center(s_photo, 64, 64), 32, 32);
        Assert.Equal(expected.Span.ToArray(), out1.Span.ToArray());
        Assert.True(Augmentation.None.IsNone);
        Assert.False(Augmentation.Standard.IsNone);
    }

    [Fact]
    public void Flip_MirrorsAndIsItsOwnInverse()
    {
        var img = s_photo.Clone();
        Flip.HorizontalInPlace(img);
        Assert.Equal(s_photo.Row(3).Slice(0, 3).ToArray(), img.Row(3).Slice(95 * 3, 3).ToArray());
        Flip.HorizontalInPlace(img);
        Assert.Equal(s_photo.Span.ToArray(), img.Span.ToArray());
    }

    [Theory]
    [InlineData(3, 7)]
    [InlineData(96, 1)]
    public void FlipOfAnNhwcBatch_EqualsFlippingEachImage(int channels, int width)
    {
        var rng = new Random(5);
        var batch = new Graft.Tensors.Tensor(new Graft.Tensors.Shape(2, 3, width, channels));
        for (int i = 0; i < batch.Length; i++) batch[i] = (float)rng.NextDouble();
        var before = batch.Span.ToArray();
        Flip.HorizontalInPlace(batch);
        for (int n = 0; n < 2; n++)
            for (int y = 0; y < 3; y++)
                for (int x = 0; x < width; x++)
                    for (int c = 0; c < channels; c++)
                        Assert.Equal(before[((n * 3 + y) * width + width - 1 - x) * channels + c], batch[((n * 3 + y) * width + x) * channels + c]);
        Flip.HorizontalInPlace(batch);
        Assert.Equal(before, batch.Span.ToArray());
    }

    [Fact]
    public void Rotation_ZeroIsIdentity_NinetyIsCounterClockwise()
    {
        Assert.Equal(s_photo.Span.ToArray(), Rotation.Rotate(s_photo, 0).Span.ToArray());
        var img = new RgbImage(5, 5);
        img.Pixels.AsSpan((2 * 5 + 4) * 3, 3).Fill(255); // right of centre
        var r = Rotation.Rotate(img, 90);
        Assert.Equal(255, r.Pixels[(0 * 5 + 2) * 3]); // now above centre
    }

    [Fact]
    public void ColorJitter_BrightnessScales_ContrastKeepsMean()
    {
        var img = new RgbImage(2, 1, [100, 100, 100, 200, 200, 200]);
        ColorJitter.ApplyInPlace(img, 1.1, 1);
        Assert.Equal(new byte[] { 110, 110, 110, 220, 220, 220 }, img.Span.ToArray());
        ColorJitter.ApplyInPlace(img, 1, 0.5);
        Assert.Equal(new byte[] { 138, 138, 138, 193, 193, 193 }, img.Span.ToArray()); // mean 165 ± 55 / 2
    }

    [Fact]
    public void Preprocessing_ScalesOffsetsAndSwapsChannels()
    {
        byte[] px = [0, 255, 128];
        var f = new float[3];
        Preprocessing.SymmetricUnitRange.Apply(px, f);
        Assert.Equal([-1f, 1f, 128 / 127.5f - 1], f);
        Preprocessing.UnitRange.Apply(px, f);
        Assert.Equal([0f, 1f, 128 / 255f], f);
        Preprocessing.Caffe.Apply(px, f);
        Assert.Equal([128 - 103.939f, 255 - 116.779f, -123.68f], f); // BGR order
        Preprocessing.Torch.Apply(px, f);
        Assert.Equal(-0.485f / 0.229f, f[0], 5);
    }

    [Fact]
    public void StableRandom_IsFixedByCode()
    {
        var r = new StableRandom(0);
        Assert.Equal(0xE220A8397B1DCDAFUL, r.NextUInt64()); // SplitMix64's published first output for seed 0
        var d = StableRandom.Derive(42, 3);
        Assert.InRange(d.NextDouble(), 0, 1);
    }
}
