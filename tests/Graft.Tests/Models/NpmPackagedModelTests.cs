using System.Formats.Tar;
using System.IO.Compression;
using Graft.Import.TfJs;
using Graft.Models;

namespace Graft.Tests.Models;

public class NpmPackagedModelTests
{
    [Fact]
    public async Task FetchesNsfwjsWithNpmOnceAndExtractsOnlyTheModels()
    {
        var zoo = await TestModelCache.EnsureAsync("nsfwjs-mobilenet_v2");
        var folder = zoo.PathOf("nsfwjs-mobilenet_v2");
        Assert.True(File.Exists(Path.Combine(folder, "model.min.js")));
        Assert.True(File.Exists(Path.Combine(folder, "group1-shard1of1.min.js")));
        Assert.True(zoo.IsCached("nsfwjs-inception_v3"));
        var root = Path.GetDirectoryName(Path.GetDirectoryName(folder))!;
        Assert.False(Directory.Exists(Path.Combine(root, "mobilenet_v2_mid")));
        Assert.False(Directory.Exists(Path.Combine(root, "..", "browser")));

        // Present: no npm needed again.
        var offline = new ModelZoo(new ModelZooOptions { CacheDir = TestModelCache.Dir, NpmCommand = "/nonexistent/npm" });
        Assert.Equal(zoo.PathOf("nsfwjs-inception_v3"), await offline.EnsureAsync("nsfwjs-inception_v3"));
    }

    [Fact]
    public async Task PackagedTopologyAndManifestParse()
    {
        var zoo = await TestModelCache.EnsureAsync("nsfwjs-mobilenet_v2");
        var artifacts = ModelArtifacts.Open(zoo.PathOf("nsfwjs-mobilenet_v2"));
        var layers = artifacts.Root["modelTopology"]!["model_config"]!["config"]!["layers"]!.AsArray();
        Assert.Equal(162, layers.Count);
        // reference.json: 2,619,461 parameters (Keras counts BatchNorm's moving statistics too).
        Assert.Equal(2619461, artifacts.Groups.SelectMany(g => g.Weights).Sum(w => w.Count));
        var bytes = artifacts.ReadGroup(artifacts.Groups[0]);
        Assert.Equal("8e7dddbb16acacc1bf1601b1b8a761e730ff934b7f2d7771312b2f000e5f5f13", Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
    }

    [Fact]
    public async Task AddVerifiesATarballObtainedByHand()
    {
        await TestModelCache.EnsureAsync("nsfwjs-mobilenet_v2");
        var tarball = Path.Combine(TestModelCache.Dir, "npm", "nsfwjs-4.4.0.tgz");
        using var cache = new TempCache();
        var zoo = new ModelZoo(new ModelZooOptions { CacheDir = cache.Dir, AllowDownload = false });
        zoo.Add("nsfwjs-inception_v3", tarball);
        Assert.True(zoo.IsCached("nsfwjs-inception_v3"));
        Assert.True(zoo.IsCached("nsfwjs-mobilenet_v2"));

        using var bad = new TempCache();
        var tampered = Path.Combine(bad.Dir, "nsfwjs-4.4.0.tgz");
        var bytes = File.ReadAllBytes(tarball);
        bytes[bytes.Length / 2] ^= 1;
        File.WriteAllBytes(tampered, bytes);
        using var cache2 = new TempCache();
        var e = Assert.Throws<ModelIntegrityException>(() => new ModelZoo(new ModelZooOptions { CacheDir = cache2.Dir }).Add("nsfwjs-mobilenet_v2", bad.Dir));
        Assert.StartsWith("sha512-krC1", e.Expected);
        Assert.Empty(cache2.Contents());
    }

    [Theory]
    [InlineData("package/../../evil.txt")]
    [InlineData("/tmp/evil.txt")]
    [InlineData("package/dist/../../../evil.txt")]
    public void ArchiveEntriesThatEscapeAreRefused(string entryName)
    {
        using var dir = new TempCache();
        var tgz = Path.Combine(dir.Dir, "evil.tgz");
        using (var file = File.Create(tgz))
        using (var gz = new GZipStream(file, CompressionLevel.Fastest))
        using (var tar = new TarWriter(gz, TarEntryFormat.Pax))
        {
            var ok = new PaxTarEntry(TarEntryType.RegularFile, "package/ok.txt") { DataStream = new MemoryStream(new byte[] { 1 }) };
            tar.WriteEntry(ok);
            var evil = new PaxTarEntry(TarEntryType.RegularFile, entryName) { DataStream = new MemoryStream(new byte[] { 2 }) };
            tar.WriteEntry(evil);
        }
        var dest = Path.Combine(dir.Dir, "out", "inner");
        Directory.CreateDirectory(dest);
        Assert.Throws<InvalidDataException>(() => NpmFetcher.ExtractSafely(tgz, dest, _ => true));
        Assert.False(File.Exists(Path.Combine(dir.Dir, "evil.txt")));
        Assert.False(File.Exists(Path.Combine(dir.Dir, "out", "evil.txt")));
    }

    [Fact]
    public void ArchiveLinksAreRefused()
    {
        using var dir = new TempCache();
        var tgz = Path.Combine(dir.Dir, "link.tgz");
        using (var file = File.Create(tgz))
        using (var gz = new GZipStream(file, CompressionLevel.Fastest))
        using (var tar = new TarWriter(gz, TarEntryFormat.Pax))
            tar.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "package/link") { LinkName = "/etc/passwd" });
        var e = Assert.Throws<InvalidDataException>(() => NpmFetcher.ExtractSafely(tgz, Path.Combine(dir.Dir, "out"), _ => true));
        Assert.Contains("SymbolicLink", e.Message);
    }

    [Fact]
    public async Task NpmFailureSaysHowToAddTheTarballByHand()
    {
        using var cache = new TempCache();
        var zoo = new ModelZoo(new ModelZooOptions { CacheDir = cache.Dir, NpmCommand = "/nonexistent/npm" });
        var e = await Assert.ThrowsAsync<ModelNotAvailableException>(() => zoo.EnsureAsync("nsfwjs-mobilenet_v2"));
        Assert.Contains("npm pack nsfwjs@4.4.0", e.Message);
        Assert.Contains("graft models add nsfwjs-mobilenet_v2", e.Message);
        Assert.DoesNotContain(cache.Contents(), p => p.EndsWith(".tgz"));
    }
}
