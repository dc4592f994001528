using Graft.Models;
using Graft.Tests.Support;

namespace Graft.Tests.Models;

/// <summary>
/// A model cache shared by the tests of one run and kept between runs (under the repository's ignored .cache
/// folder), so the nsfwjs tarball is fetched with npm once per machine.
/// </summary>
public static class TestModelCache
{
    private static readonly SemaphoreSlim s_lock = new(1, 1);

    public static string Dir => Path.Combine(SharedData.RepoRoot, ".cache", "test-models");

    public static ModelZoo Zoo() => new(new ModelZooOptions { CacheDir = Dir, MirrorUrl = "http://127.0.0.1:9/" });

    /// <summary>Ensures a model in the shared test cache: nsfwjs through npm, MobileNet v1 added from ../shared.</summary>
    public static async Task<ModelZoo> EnsureAsync(string name)
    {
        var zoo = Zoo();
        await s_lock.WaitAsync();
        try
        {
            if (!zoo.IsCached(name))
            {
                if (name == "mobilenet_v1_0.75") zoo.Add(name, SharedData.PathTo("models", "mobilenet_v1_0.75_224"));
                else await zoo.EnsureAsync(name);
            }
        }
        finally
        {
            s_lock.Release();
        }
        return zoo;
    }
}
