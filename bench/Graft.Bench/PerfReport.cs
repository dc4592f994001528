using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Graft.Bench;

/// <summary>
/// One JSON line per measurement (Graft's benchmarks print them; bench/run-perf.sh wraps the peers' lines as
/// {"bench", "impl", "model", "raw": peer line}), and the report that turns a run's lines into
/// bench/results/perf.json and a Markdown table with Graft/peer ratios. Ratios only compare lines of the same
/// run, because the shared machine's speed drifts by tens of percent between runs.
/// </summary>
internal static class PerfReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Line(string bench, string impl, string model, int batch, int threads, Timing.Result r,
        (double PeakWorkingSetMiB, double GcHeapMiB, double AllocatedMiB) mem, double load)
    {
        var o = new JsonObject
        {
            ["bench"] = bench, ["impl"] = impl, ["model"] = model, ["batch"] = batch, ["threads"] = threads,
            ["img_s_median"] = Math.Round(r.Median, 2), ["img_s_min"] = Math.Round(r.Min, 2), ["img_s_max"] = Math.Round(r.Max, 2),
            ["run_medians"] = new JsonArray(r.RunMedians.Select(v => (JsonNode)Math.Round(v, 2)).ToArray()),
            ["alloc_kib_per_step"] = Math.Round(r.AllocatedKiBPerStep, 1),
            ["peak_working_set_mib"] = Math.Round(mem.PeakWorkingSetMiB, 1), ["gc_heap_mib"] = Math.Round(mem.GcHeapMiB, 1),
            ["load_avg_1m"] = Math.Round(load, 2),
            ["vector512"] = System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated,
        };
        return o.ToJsonString();
    }

    /// <summary>report LINES.jsonl [OUT_DIR]: writes OUT_DIR/perf.json and OUT_DIR/perf.md (default bench/results).</summary>
    public static int Run(string[] args)
    {
        if (args.Length < 1) { Console.Error.WriteLine("Usage: Graft.Bench report LINES.jsonl [OUT_DIR]"); return 2; }
        string outDir = args.Length > 1 ? args[1] : Path.Combine("bench", "results");
        var rows = new List<JsonObject>();
        foreach (var line in File.ReadLines(args[0]))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            try { if (JsonNode.Parse(line) is JsonObject o) rows.Add(Normalize(o)); }
            catch (JsonException) { Console.Error.WriteLine($"report: skipping a line that is not JSON: {line}"); }
        }
        var ratios = Ratios(rows);
        var transfer = TransferRatios(rows);
        var doc = new JsonObject
        {
            ["generated_utc"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", Inv),
            ["machine"] = $"{Environment.ProcessorCount} cores, {Environment.OSVersion}",
            ["results"] = new JsonArray(rows.Select(r => (JsonNode)r.DeepClone()).ToArray()),
            ["ratios"] = new JsonArray(ratios.Select(r => (JsonNode)new JsonObject
            {
                ["bench"] = r.Bench, ["graft"] = r.Graft, ["peer"] = r.Peer, ["ratio"] = Math.Round(r.Value, 3),
            }).ToArray()),
            ["transfer"] = new JsonArray(transfer.Select(t => (JsonNode)new JsonObject
            {
                ["mode"] = t.Mode, ["graft_seconds"] = Math.Round(t.GraftSeconds, 1), ["peer"] = t.Peer,
                ["peer_head_step_img_s"] = t.PeerRate, ["peer_estimated_seconds"] = Math.Round(t.PeerSeconds, 1),
                ["speedup"] = Math.Round(t.PeerSeconds / t.GraftSeconds, 2),
            }).ToArray()),
        };
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "perf.json"), doc.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        File.WriteAllText(Path.Combine(outDir, "perf.md"), Markdown(rows, ratios, transfer));
        Console.WriteLine($"wrote {Path.Combine(outDir, "perf.json")} and perf.md ({rows.Count} results, {ratios.Count} ratios)");
        return 0;
    }

    /// <summary>Brings a peer's line to Graft's field names (img_s_median, peak memory) and keeps the raw line.</summary>
    private static JsonObject Normalize(JsonObject o)
    {
        if (o["raw"] is not JsonObject raw) return o;
        foreach (var key in new[] { "img_s_median", "img_s_min", "img_s_max" })
            if (raw[key] is { } v) o[key] = v.DeepClone();
        return o;
    }

    private sealed record Ratio(string Bench, string Graft, string Peer, double Value);

    private static List<Ratio> Ratios(List<JsonObject> rows)
    {
        var result = new List<Ratio>();
        foreach (var g in rows.Where(r => Str(r, "impl").StartsWith("graft", StringComparison.Ordinal)))
            foreach (var p in rows.Where(r => !Str(r, "impl").StartsWith("graft", StringComparison.Ordinal) && Str(r, "bench") == Str(g, "bench")
                         && Family(Str(r, "model")) == Family(Str(g, "model"))))
            {
                double gv = Num(g, "img_s_median"), pv = Num(p, "img_s_median");
                if (gv > 0 && pv > 0) result.Add(new Ratio(Str(g, "bench"), Label(g), Label(p), gv / pv));
            }
        return result;
    }

    private sealed record TransferRatio(string Mode, double GraftSeconds, int Epochs, int Images, string Peer, double PeerRate, double PeerSeconds, JsonObject Graft);

    /// <summary>
    /// PyTorch's usual transfer loop runs the frozen trunk forward on every step, so its 10 epochs cost at least
    /// epochs × training images / (its head-only training step's images/s) — a lower bound for fine-tuning from a
    /// block, whose steps also run backward through the unfrozen blocks. Graft's figure is measured, decode included.
    /// </summary>
    private static List<TransferRatio> TransferRatios(List<JsonObject> rows)
    {
        var result = new List<TransferRatio>();
        foreach (var g in rows.Where(r => Str(r, "bench") == "transfer" && Str(r, "impl") == "graft"))
        {
            double seconds = g["seconds"] is JsonObject s ? Num(s, "total") : double.NaN;
            int epochs = (int)Num(g, "epochs_run"), images = (int)Num(g, "train_images");
            foreach (var p in rows.Where(r => Str(r, "bench") == "head" && !Str(r, "impl").StartsWith("graft", StringComparison.Ordinal)))
            {
                double rate = Num(p, "img_s_median");
                if (rate > 0 && seconds > 0) result.Add(new TransferRatio(Str(g, "mode"), seconds, epochs, images, Label(p), rate, (double)epochs * images / rate, g));
            }
        }
        return result;
    }

    private static string Markdown(List<JsonObject> rows, List<Ratio> ratios, List<TransferRatio> transfer)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Graft performance against its peers (one run, same machine)");
        sb.AppendLine();
        sb.AppendLine($"Generated {DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", Inv)} UTC by `bench/run-perf.sh`. Batch 32, 2 threads, float32. " +
            "Each figure is the median of the run medians (warm-ups first); the machine is shared, so compare only ratios from the same run " +
            "and mind the load average column.");
        sb.AppendLine();
        sb.AppendLine("| bench | implementation | model | img/s (median) | min–max | peak working set MiB | alloc KiB/step | load (1 min) |");
        sb.AppendLine("|---|---|---|---:|---:|---:|---:|---:|");
        foreach (var r in rows)
            sb.AppendLine($"| {Str(r, "bench")} | {Label(r)} | {Str(r, "model")} | {F(Num(r, "img_s_median"))} | {F(Num(r, "img_s_min"))}–{F(Num(r, "img_s_max"))} " +
                $"| {F(Num(r, "peak_working_set_mib"), "0")} | {F(Num(r, "alloc_kib_per_step"), "0.#")} | {F(Num(r, "load_avg_1m"))} |");
        sb.AppendLine();
        sb.AppendLine("| bench | Graft | peer | Graft / peer |");
        sb.AppendLine("|---|---|---|---:|");
        foreach (var r in ratios) sb.AppendLine($"| {r.Bench} | {r.Graft} | {r.Peer} | {r.Value.ToString("0.00", Inv)} |");
        sb.AppendLine();
        if (transfer.Count > 0)
        {
            sb.AppendLine("Transfer on ../shared/datasets/flowers (frozen nsfwjs MobileNetV2). Graft: measured wall seconds of decode + the frozen part once per image + " +
                "the epochs on what it cached (validation every epoch included). PyTorch: its loop recomputes the frozen trunk every step, so its time is " +
                "estimated as epochs × training images / its head-only step rate from this run — for fine-tuning from a block a lower bound, since its " +
                "steps would also run backward through the unfrozen blocks.");
            sb.AppendLine();
            sb.AppendLine("| mode | epochs | Graft s (decode / cache / train) | peak MiB | val acc | peer step | peer img/s | peer est. s | speed-up |");
            sb.AppendLine("|---|---:|---:|---:|---:|---|---:|---:|---:|");
            foreach (var t in transfer)
            {
                var s = (JsonObject)t.Graft["seconds"]!;
                string mode = t.Mode == "finetune" ? $"fine-tune from {Str(t.Graft, "unfreeze_from")} (cache at {Str(t.Graft, "cache_boundary")})" : "head";
                sb.AppendLine($"| {mode} | {t.Epochs} | {F(t.GraftSeconds)} ({F(Num(s, "decode"))} / {F(Num(s, "cache"))} / {F(Num(s, "train"))}) " +
                    $"| {F(Num(t.Graft, "peak_working_set_mib"), "0")} | {F(Num(t.Graft, "val_accuracy"), "0.000")} | {t.Peer} head | {F(t.PeerRate)} | {F(t.PeerSeconds, "0")} " +
                    $"| {(t.PeerSeconds / t.GraftSeconds).ToString("0.0", Inv)}× |");
            }
            sb.AppendLine();
            foreach (var g in transfer.Select(t => t.Graft).Distinct())
            {
                double graftSeconds = ((JsonObject)g["seconds"]!)["total"]!.GetValue<double>();
                double est = Num(g, "epochs_run") * Num(g, "train_images") / QuietHeadStep;
                sb.AppendLine($"- {Str(g, "mode")}: against the quiet-machine PyTorch channels_last head step ({QuietHeadStep.ToString("0.0", Inv)} img/s, anchors) " +
                    $"the estimate is {F(est, "0")} s, {(est / graftSeconds).ToString("0.0", Inv)}× Graft's {F(graftSeconds)} s.");
            }
            sb.AppendLine();
        }
        sb.AppendLine("When the load column is high the peers have tended to lose more to it than Graft (PyTorch most: likely its OpenMP threads waiting on each other when a core is taken), " +
            "so same-run ratios can flatter Graft. For scale, the peers' figures on a quiet machine " +
            "(`../shared/anchors/perf.md`) against this run's Graft figures (different runs: indicative only):");
        sb.AppendLine();
        sb.AppendLine("| bench | Graft (this run) | anchor | Graft / anchor |");
        sb.AppendLine("|---|---|---|---:|");
        foreach (var (bench, impl, model, anchor, value) in Anchors)
            foreach (var g in rows.Where(r => Str(r, "bench") == bench && Str(r, "impl") == impl && Str(r, "model") == model))
                sb.AppendLine($"| {bench} | {impl} {model} {F(Num(g, "img_s_median"))} | {anchor} {value.ToString("0.0", Inv)} | {(Num(g, "img_s_median") / value).ToString("0.00", Inv)} |");
        return sb.ToString();
    }

    /// <summary>PyTorch mobilenet_v2 head-only training step, channels_last, quiet machine (../shared/anchors/perf.md).</summary>
    private const double QuietHeadStep = 47.3;

    /// <summary>Quiet-machine peer figures from ../shared/anchors/perf.md (batch 32, 2 threads).</summary>
    private static readonly (string Bench, string Impl, string Model, string Anchor, double Value)[] Anchors =
    {
        ("infer", "graft-plan", "zoo:nsfwjs-mobilenet_v2", "ONNX Runtime 1.30, nsfwjs MobileNetV2", 123),
        ("infer", "graft-plan", "zoo:nsfwjs-mobilenet_v2", "PyTorch best (TorchScript + optimize_for_inference)", 100.6),
        ("infer", "graft-plan", "zoo:nsfwjs-inception_v3", "PyTorch best (channels_last + jit.freeze)", 15.2),
        ("finetune", "graft", "zoo:nsfwjs-mobilenet_v2", "PyTorch best (channels_last)", 16.7),
        ("finetune", "graft", "mobilenet_v2", "PyTorch best (channels_last)", 16.7),
    };

    private static string Label(JsonObject r)
    {
        string impl = Str(r, "impl");
        return r["raw"] is JsonObject raw && raw["variant"] is { } v ? $"{impl} {v}" : impl;
    }

    // Peers run their own versions of a network (torchvision's mobilenet_v2, the nsfwjs export): the family is
    // what the names share.
    private static string Family(string model) => model.Contains("inception", StringComparison.OrdinalIgnoreCase) ? "inception_v3"
        : model.Contains("mobilenet_v2", StringComparison.OrdinalIgnoreCase) ? "mobilenet_v2" : model;

    private static string Str(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue(out string? s) ? s : o[key]?.ToJsonString() ?? "";

    private static double Num(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue(out double d) ? d : double.NaN;

    private static string F(double v, string format = "0.0") => double.IsNaN(v) ? "—" : v.ToString(format, Inv);
}
