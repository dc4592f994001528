namespace Graft.Kernels;

/// <summary>
/// How many threads kernels may use, and the one parallel loop they share. Work is split into at most
/// <see cref="MaxThreads"/> contiguous chunks so that each thread streams through its own memory.
/// </summary>
public static class Parallelism
{
    private static int s_maxThreads = Environment.ProcessorCount;

    /// <summary>Defaults to the processor count; set to 1 for single-threaded runs and benchmarks.</summary>
    public static int MaxThreads
    {
        get => s_maxThreads;
        set => s_maxThreads = value >= 1 ? value : throw new ArgumentException($"MaxThreads must be at least 1. Received: {value}.");
    }

    /// <summary>
    /// Runs <paramref name="body"/>(start, end) over [0, count) in up to MaxThreads chunks; inline when one
    /// chunk suffices or when <paramref name="count"/> · <paramref name="costPerItem"/> is too small to pay for a thread.
    /// </summary>
    public static void ForChunks(int count, Action<int, int> body, long costPerItem = 1 << 16)
    {
        if (count <= 0) return;
        int chunks = (int)Math.Min(Math.Min(MaxThreads, count), Math.Max(1, count * costPerItem / (1 << 15)));
        if (chunks <= 1) { body(0, count); return; }
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = chunks }, c =>
        {
            int start = (int)((long)count * c / chunks), end = (int)((long)count * (c + 1) / chunks);
            if (end > start) body(start, end);
        });
    }
}
