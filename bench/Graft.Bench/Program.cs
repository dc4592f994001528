using Graft.Bench;

// Minimal dispatcher until the benchmark suite's own Program lands: `decode` runs DecodeBenchmark.
return args.Length > 0 && args[0] == "decode"
    ? DecodeBenchmark.Run(args[1..])
    : Usage();

static int Usage()
{
    Console.WriteLine("usage: Graft.Bench decode [--data DIR] [--runs N] [--out FILE]");
    return 2;
}
