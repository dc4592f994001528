using Graft.Data.Images;
using Graft.Tests.Data.Support;

namespace Graft.Tests.Data.Images;

/// <summary>Decoded pixels match Debian's Pillow 9.4 within ±1 per channel on every committed fixture.</summary>
public class PillowParityTests
{
    public static TheoryData<string> DecodedFixtures()
    {
        var data = new TheoryData<string>();
        foreach (var r in PillowFixtures.Records.Where(r => r.Expected == r.Image + ".rgb")) data.Add(r.Image);
        return data;
    }

    [Theory]
    [MemberData(nameof(DecodedFixtures))]
    public void Decode_MatchesPillow(string image)
    {
        var record = PillowFixtures.Decoded(image);
        var decoded = ImageDecoder.Decode(PillowFixtures.Path(image));
        PillowFixtures.AssertClose(PillowFixtures.Expected(record), decoded, 1, $"{image} vs {record.Pillow}");
    }

    [Fact]
    public void Fixtures_CoverEveryFormatAndOrientation()
    {
        var images = PillowFixtures.Records.Select(r => r.Image).ToHashSet();
        for (int k = 1; k <= 8; k++) Assert.Contains($"exif_{k}.jpg", images);
        foreach (var ext in new[] { ".jpg", ".png", ".bmp", ".gif" }) Assert.Contains(images, i => i.EndsWith(ext, StringComparison.Ordinal));
    }
}
