using Graft.Data.Loading;
using Graft.Models;
using Graft.Tests.Support;
using Graft.Transfer;

namespace Graft.Tests.Transfer;

/// <summary>
/// The real thing: MobileNet v1 (from ../shared, added to a private cache with its hash checked) on the shared
/// flowers, linear strategy. A logistic regression on this network's pooled features reaches about 69 % here;
/// Graft's probe is deterministic, so the bound is the 68 %.
/// </summary>
public sealed class FlowersEndToEndTests : IDisposable
{
    private readonly string _cache = Directory.CreateTempSubdirectory("graft-flowers-").FullName;
    public void Dispose() => Directory.Delete(_cache, true);

    [Fact]
    public void LinearProbeOnMobileNetV1ReachesSixtyEightPercent()
    {
        var zoo = new ModelZoo(new ModelZooOptions { CacheDir = _cache, AllowDownload = false });
        zoo.Add("mobilenet_v1_0.75", SharedData.PathTo("models", "mobilenet_v1_0.75_224"));
        var backbone = zoo.Load("mobilenet_v1_0.75").ToBackbone();
        var data = ImageFolder.Load(SharedData.PathTo("datasets", "flowers"));
        var r = TransferLearner.Run(backbone, data, new TransferOptions { Strategy = Strategy.Linear });
        Assert.Equal(868, r.Validation.Labels.Length);
        Assert.True(r.Validation.Accuracy >= 0.68, $"validation accuracy {r.Validation.Accuracy:P2}");
    }
}
