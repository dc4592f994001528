using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Graft.Kernels;

namespace Graft.Bench;

/// <summary>
/// `gemm`: Graft's Sgemm against OpenBLAS cblas_sgemm on square and MobileNetV2-like shapes, 1 and 2 threads.
/// The two libraries alternate rep by rep on the same matrices, so load from other processes on a shared
/// machine hits both alike and the ratio stays meaningful even when absolute figures wobble.
/// Options: --quick (no 4096³, shorter timing), --threads 1,2, --only TEXT (cases whose name contains it),
/// --out DIR (default bench/results), --budget SECONDS (timed reps per library
/// per case), --min (fastest rep instead of the median: for quick tuning on a busy
/// machine, where the median mostly measures the other load).
/// </summary>
internal static class GemmBench
{
    private sealed record Case(string Name, int M, int N, int K);

    private static readonly Case[] s_cases =
    {
        new("square 1024", 1024, 1024, 1024),
        new("square 4096", 4096, 4096, 4096),
        new("1x1 conv 576->64 @14x14x64", 12544, 64, 576),
        new("1x1 conv 16->96 @112x112", 12544, 96, 16),
        new("1x1 conv 24->144 @56x56", 3136, 144, 24),
        new("1x1 conv 144->24 @56x56", 3136, 24, 144),
        new("Dense 1280->1000, batch 32", 32, 1000, 1280),
    };

    public static int Run(string[] args)
    {
        bool quick = args.Contains("--quick");
        bool useMin = args.Contains("--min");
        string? only = Option(args, "--only");
        var threads = Option(args, "--threads")?.Split(',').Select(int.Parse).ToArray() ?? new[] { 1, 2 };
        string outDir = Option(args, "--out") ?? Path.Combine(BenchTiming.RepoRoot(), "bench", "results");
        double budget = double.TryParse(Option(args, "--budget"), CultureInfo.InvariantCulture, out double bs) ? bs
            : quick ? 0.4 : 1.5; // seconds of timed reps per library per case
        int maxReps = Math.Max(15, (int)(budget * 10));

        var blas = OpenBlas.TryLoad(out string why);
        string? coreType = Environment.GetEnvironmentVariable("OPENBLAS_CORETYPE");
        if (blas is null) Console.WriteLine($"OpenBLAS unavailable ({why}): measuring Graft alone.");
        else if (!blas.CoreName.Contains("SkylakeX", StringComparison.OrdinalIgnoreCase))
            Console.WriteLine($"warning: OpenBLAS runs its {blas.CoreName} kernels (OPENBLAS_CORETYPE={coreType ?? "unset"}), slower than SkylakeX on this CPU: the ratios flatter Graft. Use bench/run-gemm.sh.");
        double? loadStart = BenchTiming.LoadAverage();
        int savedThreads = Parallelism.MaxThreads;

        var rows = new JsonArray();
        var md = new StringBuilder();
        md.AppendLine("| case | M×N×K | threads | Graft GFLOP/s | OpenBLAS GFLOP/s | Graft / OpenBLAS |");
        md.AppendLine("|---|---|---:|---:|---:|---:|");
        Console.WriteLine($"{"case",-30} {"M×N×K",-18} {"thr",3} {"Graft",8} {"OpenBLAS",9} {"ratio",6}");
        try
        {
            foreach (var cs in s_cases.Where(c => (!quick || c.M * (long)c.N * c.K < 1L << 32) && (only is null || c.Name.Contains(only, StringComparison.Ordinal))))
            {
                var rng = new Random(1);
                var a = RandomMatrix(rng, cs.M * cs.K);
                var b = RandomMatrix(rng, cs.K * cs.N);
                var cG = new float[cs.M * cs.N];
                var cB = new float[cs.M * cs.N];
                double flops = 2.0 * cs.M * cs.N * cs.K;
                foreach (int t in threads)
                {
                    Parallelism.MaxThreads = t;
                    blas?.SetThreads(t);
                    Action graft = () => Gemm.Sgemm(false, false, cs.M, cs.N, cs.K, 1f, a, cs.K, b, cs.N, 0f, cG, cs.N);
                    Action? openBlas = blas is null ? null : () => blas.Sgemm(false, false, cs.M, cs.N, cs.K, 1f, a, cs.K, b, cs.N, 0f, cB, cs.N);

                    // Warm-up: JIT tiers, thread pool, page faults on C and the packing buffers.
                    double est = 0;
                    for (int w = 0; w < 2; w++) { est = BenchTiming.Time(graft); if (openBlas is not null) BenchTiming.Time(openBlas); }
                    int reps = (int)Math.Clamp(budget / Math.Max(est, 1e-6), 3, maxReps);
                    var tg = new List<double>();
                    var tb = new List<double>();
                    for (int r = 0; r < reps; r++)
                    {
                        tg.Add(BenchTiming.Time(graft));
                        if (openBlas is not null) tb.Add(BenchTiming.Time(openBlas));
                    }
                    Func<List<double>, double> stat = useMin ? xs => xs.Min() : BenchTiming.Median;
                    double gGraft = flops / stat(tg) / 1e9;
                    double? gBlas = openBlas is null ? null : flops / stat(tb) / 1e9;
                    double? ratio = gBlas is null ? null : gGraft / gBlas;
                    float? diff = openBlas is null ? null : MaxRelativeDiff(cG, cB);

                    string shape = $"{cs.M}×{cs.N}×{cs.K}";
                    Console.WriteLine($"{cs.Name,-30} {shape,-18} {t,3} {gGraft,8:F1} {Fmt(gBlas, "F1"),9} {Fmt(ratio, "F2"),6}");
                    md.AppendLine($"| {cs.Name} | {shape} | {t} | {gGraft:F1} | {Fmt(gBlas, "F1")} | {Fmt(ratio, "F2")} |");
                    rows.Add(new JsonObject
                    {
                        ["case"] = cs.Name, ["m"] = cs.M, ["n"] = cs.N, ["k"] = cs.K, ["trans_a"] = false, ["trans_b"] = false,
                        ["threads"] = t, ["reps"] = reps,
                        ["graft_gflops"] = Math.Round(gGraft, 2),
                        ["openblas_gflops"] = gBlas is null ? null : Math.Round(gBlas.Value, 2),
                        ["ratio_graft_over_openblas"] = ratio is null ? null : Math.Round(ratio.Value, 3),
                        ["max_rel_diff_vs_openblas"] = diff,
                    });
                }
            }
        }
        finally
        {
            Parallelism.MaxThreads = savedThreads;
        }

        var doc = new JsonObject
        {
            ["benchmark"] = "gemm",
            ["date_utc"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["method"] = $"row-major NN, C = A·B (alpha 1, beta 0), random [-1,1) inputs; 2 warm-ups, then {(quick ? "≥3" : $"3-{maxReps}")} timed reps with Graft and OpenBLAS alternating; {(useMin ? "fastest rep" : "median")}; GFLOP/s = 2·M·N·K / time",
            ["machine"] = new JsonObject
            {
                ["cpu"] = BenchTiming.CpuModel(),
                ["logical_cores"] = Environment.ProcessorCount,
                ["os"] = RuntimeInformation.OSDescription,
                ["runtime"] = RuntimeInformation.FrameworkDescription,
                ["graft_kernel"] = GemmBlocking.Best.ToString(),
                ["openblas"] = blas is null ? why : blas.Config,
                ["openblas_core"] = blas?.CoreName,
                ["openblas_env"] = OpenBlasEnvironment(),
                ["load_average_1min_start"] = loadStart,
                ["load_average_1min_end"] = BenchTiming.LoadAverage(),
            },
            ["cases"] = rows,
        };
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "gemm.json"), doc.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        var head = new StringBuilder();
        head.AppendLine("# SGEMM: Graft vs OpenBLAS");
        head.AppendLine();
        head.AppendLine($"{doc["date_utc"]}, {BenchTiming.CpuModel()} ({Environment.ProcessorCount} logical cores), {RuntimeInformation.FrameworkDescription}, " +
            $"Graft kernel {GemmBlocking.Best}, OpenBLAS {(blas is null ? "unavailable" : $"{blas.Config} core {blas.CoreName}")}. " +
            $"Load average {loadStart?.ToString("F1", CultureInfo.InvariantCulture) ?? "?"} at start (shared machine). Generated by `bench/run-gemm.sh`; details in gemm.json.");
        head.AppendLine();
        File.WriteAllText(Path.Combine(outDir, "gemm.md"), head.ToString() + md);
        Console.WriteLine($"wrote {Path.Combine(outDir, "gemm.json")} and gemm.md");
        return 0;
    }

    private static JsonObject OpenBlasEnvironment()
    {
        var env = new JsonObject();
        foreach (var key in Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(k => k.StartsWith("OPENBLAS_", StringComparison.Ordinal)).Order())
            env[key] = Environment.GetEnvironmentVariable(key);
        return env;
    }

    private static string? Option(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static string Fmt(double? x, string format) => x?.ToString(format, CultureInfo.InvariantCulture) ?? "—";

    private static float[] RandomMatrix(Random rng, int length)
    {
        var x = new float[length];
        for (int i = 0; i < length; i++) x[i] = rng.NextSingle() * 2 - 1;
        return x;
    }

    /// <summary>Largest |graft − openblas| relative to the largest |openblas|: a sanity check, not a test.</summary>
    private static float MaxRelativeDiff(float[] x, float[] y)
    {
        float scale = 1e-30f, diff = 0;
        for (int i = 0; i < x.Length; i++) { scale = Math.Max(scale, Math.Abs(y[i])); diff = Math.Max(diff, Math.Abs(x[i] - y[i])); }
        return diff / scale;
    }
}
