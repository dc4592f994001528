namespace Graft.Bench;

/// <summary>The options every throughput benchmark takes, as <c>--name value</c> pairs.</summary>
internal sealed record BenchOptions(string Model, int Batch, int Threads, int Warmup, int Iters, int Reps, string Engine)
{
    /// <summary>Every option as given, for the options only one benchmark takes.</summary>
    public IReadOnlyDictionary<string, string> All { get; init; } = new Dictionary<string, string>();

    public string Get(string name, string fallback) => All.TryGetValue(name, out var v) ? v : fallback;

    public int GetInt(string name, int fallback) =>
        All.TryGetValue(name, out var v) ? int.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : fallback;

    public static BenchOptions Parse(string[] args, string defaultEngine)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                throw new ArgumentException($"Options come as '--name value' pairs. Received: '{args[i]}'.");
            map[args[i][2..]] = args[++i];
        }
        int Int(string k, int d) => map.TryGetValue(k, out var v) ? int.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : d;
        return new BenchOptions(map.GetValueOrDefault("model", "mobilenet_v2"), Int("batch", 32), Int("threads", 2),
            Int("warmup", 3), Int("iters", 10), Int("reps", 3), map.GetValueOrDefault("engine", defaultEngine)) { All = map };
    }
}
