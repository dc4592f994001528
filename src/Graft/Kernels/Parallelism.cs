namespace Graft.Kernels;

/// <summary>
/// How many threads kernels may use, and the one parallel loop they share. Work is split into at most
/// <see cref="MaxThreads"/> contiguous chunks so that each thread streams through its own memory.
/// </summary>
/// <remarks>
/// The loop runs on a small pool of dedicated threads rather than <c>Parallel.For</c>: a training step makes a few
/// hundred kernel calls, and Parallel.For's tasks and replicas were most of the step's allocations (about 1.2 MB
/// per MobileNetV2 step). Chunks are claimed from a shared counter, so a thread that starts late (a busy core) does
/// not hold the others up: whoever is free takes the next chunk.
/// </remarks>
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
    /// Calls made from inside a chunk, or while another thread is using the pool, run inline.
    /// </summary>
    public static void ForChunks(int count, Action<int, int> body, long costPerItem = 1 << 16)
    {
        if (count <= 0) return;
        int chunks = (int)Math.Min(Math.Min(MaxThreads, count), Math.Max(1, count * costPerItem / (1 << 15)));
        // A single chunk runs as it is, so a loop inside it (a GEMM inside one conv chunk) can still fan out.
        if (chunks <= 1 || t_inChunk || !WorkerPool.TryRun(count, chunks, body)) body(0, count);
    }

    /// <summary>Set while a thread runs a pool chunk: loops nested in it run inline, the other cores being busy.</summary>
    [ThreadStatic] private static bool t_inChunk;

    /// <summary>One job at a time, shared by the caller and MaxThreads − 1 background threads.</summary>
    private static class WorkerPool
    {
        private static readonly object s_gate = new();
        private static readonly SemaphoreSlim s_wake = new(0);
        private static readonly ManualResetEventSlim s_done = new(false);
        private static int s_threads;
        private static Job? s_job;

        /// <summary>A job's own counters: a worker that wakes late only ever sees a finished job's exhausted counter.</summary>
        private sealed class Job(int count, int chunks, Action<int, int> body)
        {
            public readonly int Count = count, Chunks = chunks;
            public readonly Action<int, int> Body = body;
            public int Next, Pending = chunks;
            public Exception? Error;
        }

        public static bool TryRun(int count, int chunks, Action<int, int> body)
        {
            if (!Monitor.TryEnter(s_gate)) return false;
            try
            {
                EnsureThreads(chunks - 1);
                var job = new Job(count, chunks, body);
                s_done.Reset();
                Volatile.Write(ref s_job, job);
                s_wake.Release(chunks - 1);
                Work(job);
                s_done.Wait();
                if (job.Error is { } e) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e).Throw();
                return true;
            }
            finally { Monitor.Exit(s_gate); }
        }

        private static void EnsureThreads(int wanted)
        {
            while (s_threads < wanted)
            {
                new Thread(WorkerLoop) { IsBackground = true, Name = $"graft-kernel-{s_threads + 1}" }.Start();
                s_threads++;
            }
        }

        private static void WorkerLoop()
        {
            while (true)
            {
                s_wake.Wait();
                if (Volatile.Read(ref s_job) is { } job) Work(job);
            }
        }

        /// <summary>Claims chunks until none are left; the one that finishes the last chunk signals the caller.</summary>
        private static void Work(Job job)
        {
            bool outer = t_inChunk;
            t_inChunk = true;
            try
            {
                int c;
                while ((c = Interlocked.Increment(ref job.Next) - 1) < job.Chunks)
                {
                    int start = (int)((long)job.Count * c / job.Chunks), end = (int)((long)job.Count * (c + 1) / job.Chunks);
                    try
                    {
                        if (end > start) job.Body(start, end);
                    }
                    catch (Exception e)
                    {
                        Interlocked.CompareExchange(ref job.Error, e, null);
                    }
                    if (Interlocked.Decrement(ref job.Pending) == 0) s_done.Set();
                }
            }
            finally { t_inChunk = outer; }
        }
    }
}
