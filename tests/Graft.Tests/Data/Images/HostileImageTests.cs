using Graft.Data.Images;
using Graft.Tests.Data.Support;

namespace Graft.Tests.Data.Images;

/// <summary>
/// Every file of the hostile corpus either decodes to the right size or is refused with the right reason, and
/// no decode allocates more than <see cref="ManagedBudget"/> of managed memory on its thread (the 64 MiB bombs
/// included): the bound this suite enforces. Native memory is bounded by refusing over-limit headers before
/// TurboJPEG allocates anything.
/// </summary>
public class HostileImageTests
{
    public const long ManagedBudget = 8L << 20;

    public static TheoryData<string> CaseNames()
    {
        var d = new TheoryData<string>();
        foreach (var c in HostileCorpus.Shared.Cases) d.Add(c.FileName);
        return d;
    }

    [Fact]
    public void Corpus_HasAtLeastFortyFiles() => Assert.True(HostileCorpus.Shared.Cases.Count >= 40, $"{HostileCorpus.Shared.Cases.Count} cases");

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Decode_SucceedsOrFailsWithTheRightReason(string fileName)
    {
        var corpus = HostileCorpus.Shared;
        var c = corpus.Cases.Single(x => x.FileName == fileName);
        string path = corpus.PathOf(c);
        long before = GC.GetAllocatedBytesForCurrentThread();
        RgbImage? image = null;
        ImageDecodeException? error = null;
        try { image = ImageDecoder.Decode(path); }
        catch (ImageDecodeException e) { error = e; }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        if (c.Decodes)
        {
            Assert.True(error is null, $"{fileName} should decode; got {error?.Message}");
            Assert.Equal((c.Width, c.Height), (image!.Width, image.Height));
        }
        else
        {
            Assert.True(error is not null, $"{fileName} should be refused with {c.Error}; it decoded to {image}.");
            Assert.True(c.Error == error.Reason, $"{fileName}: expected {c.Error}, got {error.Reason}: {error.Message}");
            Assert.Equal(path, error.FilePath);
            Assert.Contains(fileName, error.Message);
        }
        Assert.True(allocated < ManagedBudget, $"{fileName} allocated {allocated:N0} bytes; the bound is {ManagedBudget:N0}.");
    }

    [Fact]
    public void TruncatedJpeg_IsNeverAGreyImage_EvenWithEveryCutPoint()
    {
        var jpeg = PillowFixtures.Bytes("baseline_420.jpg");
        int refused = 0;
        for (int cut = 3; cut < jpeg.Length - 2; cut += 97)
        {
            var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(jpeg.AsSpan(0, cut), $"cut{cut}"));
            Assert.True(e.Reason is DecodeError.Truncated or DecodeError.Corrupt, $"cut at {cut}: {e.Reason} {e.Message}");
            refused++;
        }
        Assert.True(refused > 10);
    }

    [Fact]
    public void PngCutAnywhere_IsRefusedNotCrashed()
    {
        var png = PillowFixtures.Bytes("rgb_adam7.png");
        for (int cut = 0; cut < png.Length - 1; cut += 37)
            Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(png.AsSpan(0, cut), $"cut{cut}"));
    }

    [Fact]
    public void FlippedBytes_NeverEscapeAsAnotherException()
    {
        var rng = new Random(5);
        foreach (var name in new[] { "photo.png", "photo.gif", "rgb24.bmp", "palette_trns_4bit.png", "progressive.jpg" })
        {
            var original = PillowFixtures.Bytes(name);
            for (int trial = 0; trial < 40; trial++)
            {
                var b = (byte[])original.Clone();
                for (int k = 0; k < 4; k++) b[rng.Next(b.Length)] ^= (byte)(1 << rng.Next(8));
                try { ImageDecoder.Decode(b, name); }
                catch (ImageDecodeException) { }
            }
        }
    }

    [Fact]
    public void MissingFile_IsReadFailed()
    {
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(Path.Combine(HostileCorpus.Shared.Folder, "no-such-file.jpg")));
        Assert.Equal(DecodeError.ReadFailed, e.Reason);
    }

    [Fact]
    public void PixelLimit_IsConfigurable()
    {
        var png = PngBuilder.Valid(10, 10);
        Assert.Equal(10, ImageDecoder.Decode(png, "p", new DecodeOptions { MaxPixels = 100 }).Width);
        Assert.Equal(DecodeError.TooManyPixels, Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(png, "p", new DecodeOptions { MaxPixels = 99 })).Reason);
        var jpeg = PillowFixtures.Bytes("baseline_420.jpg");
        Assert.Equal(DecodeError.TooManyPixels, Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(jpeg, "j", new DecodeOptions { MaxPixels = 96 * 64 - 1 })).Reason);
    }
}
