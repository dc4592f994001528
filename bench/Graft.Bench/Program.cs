using Graft.Bench;

// Each benchmark is one subcommand; add yours to the table.
var commands = new Dictionary<string, (string Help, Func<string[], int> Run)>
{
    ["gemm"] = ("SGEMM GFLOP/s, Graft vs OpenBLAS, 1 and 2 threads -> bench/results/gemm.{json,md}", GemmBench.Run),
    ["decode"] = ("decode + resize throughput on ../shared flowers (run-decode.sh adds Pillow) -> bench/results/decode.json", DecodeBenchmark.Run),
    ["infer"] = ("feature-extraction images/s (plan and Model.Forward), one JSON line; --model NAME --batch 32 --threads 2", InferBench.Run),
    ["finetune"] = ("full fine-tune training step images/s (SGD momentum), one JSON line; --model NAME --batch 32 --threads 2", FinetuneBench.Run),
    ["transfer"] = ("wall seconds of decode + frozen pass once + 10 epochs on ../shared flowers (--mode head|finetune), one JSON line", TransferBench.Run),
    ["report"] = ("JSON lines of a run (Graft and peers) -> bench/results/perf.{json,md} with ratios", PerfReport.Run),
};

if (args.Length == 0 || !commands.TryGetValue(args[0], out var command))
{
    Console.Error.WriteLine(args.Length == 0 ? "Usage: Graft.Bench <command> [options]" : $"Unknown command '{args[0]}'.");
    foreach (var (name, (help, _)) in commands) Console.Error.WriteLine($"  {name,-10} {help}");
    return 2;
}
return command.Run(args[1..]);
