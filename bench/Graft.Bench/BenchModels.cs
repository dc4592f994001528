using Graft.Bench.Networks;
using Graft.Graph;

namespace Graft.Bench;

/// <summary>
/// The models the benchmarks can run, by name: a function that builds or loads each one. The shaped networks
/// need nothing on disk; zoo models (real weights through the TensorFlow.js importer) plug in here with
/// <see cref="Register"/> once the importer is on this branch, under names such as "zoo:mobilenet_v2".
/// </summary>
internal static class BenchModels
{
    private static readonly Dictionary<string, Func<Model>> s_factories = new(StringComparer.Ordinal)
    {
        ["mobilenet_v2"] = () => ShapedNetworks.MobileNetV2(224),
        ["inception_v3"] = () => ShapedNetworks.InceptionV3(299),
    };

    public static IEnumerable<string> Names => s_factories.Keys;

    public static void Register(string name, Func<Model> factory) => s_factories[name] = factory;

    public static Model Create(string name) =>
        s_factories.TryGetValue(name, out var f) ? f()
        : throw new ArgumentException($"Unknown benchmark model '{name}'. Expected one of: {string.Join(", ", Names)}. " +
            "Hint: zoo models need the TensorFlow.js importer; register a loader in BenchModels.");
}
