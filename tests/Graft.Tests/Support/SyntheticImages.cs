using Graft.Reporting;

namespace Graft.Tests.Support;

/// <summary>
/// Writes a small class-folder image set: each class is a colour-and-stripe pattern with noise, so a small
/// convolutional network separates them. Deterministic for a seed.
/// </summary>
public static class SyntheticImages
{
    public static string Write(string root, int classes = 3, int trainPerClass = 12, int valPerClass = 6, int size = 24, int seed = 1)
    {
        var rng = new Random(seed);
        foreach (var (split, count) in new[] { ("train", trainPerClass), ("val", valPerClass) })
            for (int c = 0; c < classes; c++)
            {
                var dir = Path.Combine(root, split, $"class_{c}");
                Directory.CreateDirectory(dir);
                for (int i = 0; i < count; i++)
                {
                    var px = new byte[size * size * 3];
                    for (int y = 0; y < size; y++)
                        for (int x = 0; x < size; x++)
                        {
                            bool stripe = ((c % 2 == 0 ? x : y) / (2 + c)) % 2 == 0;
                            for (int ch = 0; ch < 3; ch++)
                            {
                                int v = (ch == c % 3 ? 170 : 60) + (stripe ? 50 : -30) + rng.Next(-40, 41);
                                px[(y * size + x) * 3 + ch] = (byte)Math.Clamp(v, 0, 255);
                            }
                        }
                    File.WriteAllBytes(Path.Combine(dir, $"{split}_{c}_{i:D3}.png"), PngWriter.Encode(px, size, size, 3));
                }
            }
        return root;
    }
}
