using Graft.Bench.Networks;
using Graft.Graph;
using Graft.Models;

namespace Graft.Bench;

/// <summary>
/// The models the benchmarks can run, by name: a function that builds or loads each one. The shaped networks
/// need nothing on disk and have random weights; "zoo:NAME" loads the zoo model NAME with its top (the whole
/// network as the file defines it), fetching it into the cache on first use where the zoo can.
/// </summary>
internal static class BenchModels
{
    public const string ZooPrefix = "zoo:";

    /// <summary>The zoo models the perf run uses; any other zoo name works too after the prefix.</summary>
    public static readonly string[] ZooNames = ["nsfwjs-mobilenet_v2", "mobilenet_v1_0.75", "nsfwjs-inception_v3"];

    private static readonly Dictionary<string, Func<Model>> s_factories = new(StringComparer.Ordinal)
    {
        ["mobilenet_v2"] = () => ShapedNetworks.MobileNetV2(224),
        ["inception_v3"] = () => ShapedNetworks.InceptionV3(299),
    };

    static BenchModels()
    {
        foreach (var name in ZooNames) Register(ZooPrefix + name, () => LoadZoo(name).Model);
    }

    public static IEnumerable<string> Names => s_factories.Keys;

    public static void Register(string name, Func<Model> factory) => s_factories[name] = factory;

    public static Model Create(string name)
    {
        if (s_factories.TryGetValue(name, out var f)) return f();
        if (name.StartsWith(ZooPrefix, StringComparison.Ordinal)) return LoadZoo(name[ZooPrefix.Length..]).Model;
        throw new ArgumentException($"Unknown benchmark model '{name}'. Expected one of: {string.Join(", ", Names)}, or zoo:<zoo model name>.");
    }

    /// <summary>A zoo model with its top, as <c>graft</c> loads it (the error says how to add one that cannot be fetched).</summary>
    public static PretrainedModel LoadZoo(string name) => new ModelZoo().Load(name, LoadOptions.Full);
}
