using Graft.Models;
using Graft.Tests.Support;

namespace Graft.Tests.Models;

public class ModelZooDownloadTests
{
    private const string Name = "mobilenet_v1_0.75";

    private static string SharedModels => SharedData.PathTo("models");

    [Fact]
    public async Task DownloadsFromAMirrorVerifiesAndCachesWithLabels()
    {
        using var server = new LoopbackServer(SharedModels);
        using var cache = new TempCache();
        var zoo = new ModelZoo(new ModelZooOptions { CacheDir = cache.Dir, MirrorUrl = server.BaseUrl });
        Assert.False(zoo.IsCached(Name));
        var messages = new List<string>();
        var folder = await zoo.EnsureAsync(Name, new SyncProgress(messages.Add));
        Assert.True(zoo.IsCached(Name));
        Assert.Equal(Path.Combine(cache.Dir, Name), folder);
        Assert.Equal(55, Directory.GetFiles(folder, "group*").Length);
        var labels = File.ReadAllLines(Path.Combine(folder, "labels.txt"));
        Assert.Equal(1000, labels.Length);
        Assert.Equal("tench, Tinca tinca", labels[0]);
        Assert.DoesNotContain(cache.Contents(), p => p.Contains(".tmp-"));
        Assert.Contains(messages, m => m.Contains("shard 55/55"));

        // Present in the cache: no second download.
        int requests = server.Requests;
        await zoo.EnsureAsync(Name);
        Assert.Equal(requests, server.Requests);
    }

    [Fact]
    public async Task MirrorFromTheEnvironmentVariableIsUsed()
    {
        using var server = new LoopbackServer(SharedModels);
        using var cache = new TempCache();
        var before = Environment.GetEnvironmentVariable("GRAFT_MODEL_MIRROR");
        try
        {
            Environment.SetEnvironmentVariable("GRAFT_MODEL_MIRROR", server.BaseUrl);
            await new ModelZoo(new ModelZooOptions { CacheDir = cache.Dir }).EnsureAsync(Name);
            Assert.True(server.Requests >= 56);
        }
        finally
        {
            Environment.SetEnvironmentVariable("GRAFT_MODEL_MIRROR", before);
        }
    }

    [Fact]
    public async Task CorruptedDownloadIsRefusedAndLeavesNothingInTheCache()
    {
        using var server = new LoopbackServer(SharedModels) { CorruptPath = "mobilenet_v1_0.75_224/group17-shard1of1" };
        using var cache = new TempCache();
        var zoo = new ModelZoo(new ModelZooOptions { CacheDir = cache.Dir, MirrorUrl = server.BaseUrl });
        var e = await Assert.ThrowsAsync<ModelIntegrityException>(() => zoo.EnsureAsync(Name));
        Assert.Equal("sha256:29e269a7736be8d1ee6e3bda4c0ec5979274fefd3af1d26e0870d66cc2e28e94", e.Expected);
        Assert.NotEqual(e.Expected, e.Actual);
        Assert.False(zoo.IsCached(Name));
        Assert.Empty(cache.Contents());
    }

    [Fact]
    public async Task UnreachableServerSaysHowToAddTheModelByHand()
    {
        using var cache = new TempCache();
        string deadUrl;
        using (var server = new LoopbackServer(SharedModels)) deadUrl = server.BaseUrl;
        var zoo = new ModelZoo(new ModelZooOptions { CacheDir = cache.Dir, MirrorUrl = deadUrl, DownloadTimeout = TimeSpan.FromSeconds(5) });
        var e = await Assert.ThrowsAsync<ModelNotAvailableException>(() => zoo.EnsureAsync(Name));
        Assert.Contains($"graft models add {Name}", e.Message);
        Assert.Contains("storage.googleapis.com/tfjs-models/tfjs/mobilenet_v1_0.75_224/model.json", e.Message);
        Assert.Empty(cache.Contents());
    }

    [Fact]
    public async Task MissingFilesOnTheServerAreReported()
    {
        using var empty = new TempCache();
        using var server = new LoopbackServer(empty.Dir);
        using var cache = new TempCache();
        var zoo = new ModelZoo(new ModelZooOptions { CacheDir = cache.Dir, MirrorUrl = server.BaseUrl });
        var e = await Assert.ThrowsAsync<ModelNotAvailableException>(() => zoo.EnsureAsync(Name));
        Assert.Contains("404", e.Message);
        Assert.Empty(cache.Contents());
    }

    [Fact]
    public void DisabledDownloadsFailWithInstructions()
    {
        using var cache = new TempCache();
        var zoo = new ModelZoo(new ModelZooOptions { CacheDir = cache.Dir, AllowDownload = false });
        var e = Assert.Throws<ModelNotAvailableException>(() => zoo.Load(Name));
        Assert.Contains("ModelZoo.Add", e.Message);
    }

    [Fact]
    public void AddCopiesAVerifiedFolderWithItsLabels()
    {
        using var cache = new TempCache();
        var zoo = new ModelZoo(new ModelZooOptions { CacheDir = cache.Dir, AllowDownload = false });
        var folder = zoo.Add(Name, Path.Combine(SharedModels, "mobilenet_v1_0.75_224"));
        Assert.True(zoo.IsCached(Name));
        Assert.Equal(1000, File.ReadAllLines(Path.Combine(folder, "labels.txt")).Length);
        Assert.Equal(56, Directory.GetFiles(folder).Length - 1);
    }

    [Fact]
    public void AddRefusesATamperedFolder()
    {
        using var source = new TempCache();
        foreach (var f in Directory.GetFiles(Path.Combine(SharedModels, "mobilenet_v1_0.75_224")))
            File.Copy(f, Path.Combine(source.Dir, Path.GetFileName(f)));
        var shard = Path.Combine(source.Dir, "group3-shard1of1");
        var bytes = File.ReadAllBytes(shard);
        bytes[100] ^= 1;
        File.WriteAllBytes(shard, bytes);
        using var cache = new TempCache();
        var zoo = new ModelZoo(new ModelZooOptions { CacheDir = cache.Dir });
        Assert.Throws<ModelIntegrityException>(() => zoo.Add(Name, source.Dir));
        Assert.Empty(cache.Contents());
    }

    [Fact]
    public void CacheFolderFollowsGraftCache()
    {
        var before = Environment.GetEnvironmentVariable("GRAFT_CACHE");
        try
        {
            Environment.SetEnvironmentVariable("GRAFT_CACHE", "/tmp/graft-env-cache");
            Assert.Equal("/tmp/graft-env-cache/models", new ModelZoo().CacheDir);
            Assert.Equal("/tmp/explicit", new ModelZoo(new ModelZooOptions { CacheDir = "/tmp/explicit" }).CacheDir);
        }
        finally
        {
            Environment.SetEnvironmentVariable("GRAFT_CACHE", before);
        }
    }

    [Fact]
    public void UnknownNamesListTheKnownOnes()
    {
        var e = Assert.Throws<KeyNotFoundException>(() => new ModelZoo().PathOf("resnet50"));
        Assert.Contains("mobilenet_v1_0.75", e.Message);
        Assert.Contains("nsfwjs-inception_v3", e.Message);
    }

    /// <summary>Progress that reports on the caller's thread (Progress&lt;T&gt; posts asynchronously).</summary>
    private sealed class SyncProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
