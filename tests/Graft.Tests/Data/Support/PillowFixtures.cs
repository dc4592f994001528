using System.Text.Json;
using Graft.Data.Images;
using Graft.Tests.Support;

namespace Graft.Tests.Data.Support;

/// <summary>The committed image fixtures and Pillow's decoded pixels for them (tests/Graft.Tests/Fixtures/images/pillow.json).</summary>
public static class PillowFixtures
{
    public sealed record Record(string Image, int Width, int Height, string Expected, string Pillow);

    private static readonly Lazy<Record[]> s_records = new(() =>
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path("pillow.json")));
        return doc.RootElement.GetProperty("records").EnumerateArray().Select(r => new Record(
            r.GetProperty("image").GetString()!, r.GetProperty("width").GetInt32(), r.GetProperty("height").GetInt32(),
            r.GetProperty("expected").GetString()!, r.GetProperty("pillow").GetString()!)).ToArray();
    });

    public static IReadOnlyList<Record> Records => s_records.Value;

    public static string Path(string name) => SharedData.Fixture("images", name);

    public static byte[] Bytes(string name) => File.ReadAllBytes(Path(name));

    /// <summary>The record whose expected pixels are the plain decode of <paramref name="image"/>.</summary>
    public static Record Decoded(string image) => Records.Single(r => r.Expected == image + ".rgb");

    public static RgbImage Expected(Record r) => new(r.Width, r.Height, Bytes(r.Expected));

    /// <summary>Asserts equal size and every channel within <paramref name="tolerance"/>; on failure names the first differences.</summary>
    public static void AssertClose(RgbImage expected, RgbImage actual, int tolerance, string what)
    {
        Assert.True(expected.Width == actual.Width && expected.Height == actual.Height,
            $"{what}: expected {expected.Width}x{expected.Height}, got {actual.Width}x{actual.Height}.");
        var e = expected.Span;
        var a = actual.Span;
        int maxDiff = 0, bad = 0;
        var first = new List<string>();
        for (int i = 0; i < e.Length; i++)
        {
            int d = Math.Abs(e[i] - a[i]);
            maxDiff = Math.Max(maxDiff, d);
            if (d > tolerance)
            {
                bad++;
                if (first.Count < 6) first.Add($"(x {i / 3 % expected.Width}, y {i / 3 / expected.Width}, c {i % 3}): expected {e[i]}, got {a[i]}");
            }
        }
        Assert.True(bad == 0, $"{what}: {bad} of {e.Length} values differ by more than {tolerance} (max {maxDiff}); first: {string.Join("; ", first)}");
    }
}
