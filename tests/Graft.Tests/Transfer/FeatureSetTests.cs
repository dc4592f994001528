using Graft.Transfer;

namespace Graft.Tests.Transfer;

public sealed class FeatureSetTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("graft-fs-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);

    private static FeatureSet Sample() => new(new float[] { 1, 2, 3, 4, 5, 6 }, 3, new[] { 0, 1 }, new[] { "cat", "dog" },
        new[] { "train/cat/1.jpg", "train/dog/2.jpg" },
        new FeatureProvenance("mobilenet_v1_0.75", "abc123", "global_average_pooling2d", "RGB, x/127.5 - 1, 224x224", DateTimeOffset.UnixEpoch));

    [Fact]
    public void RoundTripsWithProvenance()
    {
        var path = Path.Combine(_dir, "f.safetensors");
        Sample().Save(path);
        var back = FeatureSet.Load(path);
        Assert.Equal(Sample().Features, back.Features);
        Assert.Equal(new[] { 0, 1 }, back.Labels);
        Assert.Equal(Sample().Provenance, back.Provenance);
        Assert.Equal(new[] { "train/cat/1.jpg", "train/dog/2.jpg" }, back.ImagePaths);
    }

    [Fact]
    public void TamperedFeaturesFailTheirHash()
    {
        var path = Path.Combine(_dir, "f.safetensors");
        Sample().Save(path);
        var bytes = File.ReadAllBytes(path);
        bytes[^1] ^= 0x40; // flip a bit in the last float
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<FormatException>(() => FeatureSet.Load(path));
        Assert.Contains("SHA-256", e.Message);
    }
}
