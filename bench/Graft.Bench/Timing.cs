using System.Diagnostics;

namespace Graft.Bench;

/// <summary>
/// Warm-ups, then <c>reps</c> runs of <c>iters</c> timed iterations; a run's rate is its median iteration, and
/// the figure reported is the median of the runs, because the machine is shared and single iterations jump.
/// </summary>
internal static class Timing
{
    public sealed record Result(double Median, double Min, double Max, double[] RunMedians, double AllocatedKiBPerStep);

    /// <summary>Items per second of <paramref name="step"/>, which processes <paramref name="items"/> items.</summary>
    public static Result Rate(Action step, int items, int warmup, int iters, int reps)
    {
        for (int i = 0; i < warmup; i++) step();
        var runMedians = new double[reps];
        var all = new List<double>();
        var sw = new Stopwatch();
        long allocated0 = GC.GetTotalAllocatedBytes(precise: true);
        for (int r = 0; r < reps; r++)
        {
            var rates = new double[iters];
            for (int i = 0; i < iters; i++)
            {
                sw.Restart();
                step();
                rates[i] = items / sw.Elapsed.TotalSeconds;
            }
            runMedians[r] = Median(rates);
            all.AddRange(rates);
        }
        double allocated = (GC.GetTotalAllocatedBytes(precise: true) - allocated0) / 1024.0 / Math.Max(1, reps * iters);
        return new Result(Median(runMedians), all.Min(), all.Max(), runMedians, allocated);
    }

    public static double Median(IEnumerable<double> values)
    {
        var s = values.OrderBy(v => v).ToArray();
        return s.Length == 0 ? double.NaN : s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }

    /// <summary>Process peak working set and the GC's view, in MiB, to report next to a rate.</summary>
    public static (double PeakWorkingSetMiB, double GcHeapMiB, double AllocatedMiB) Memory()
    {
        using var p = Process.GetCurrentProcess();
        p.Refresh();
        var info = GC.GetGCMemoryInfo();
        return (p.PeakWorkingSet64 / 1048576.0, info.HeapSizeBytes / 1048576.0, GC.GetTotalAllocatedBytes() / 1048576.0);
    }

    /// <summary>The 1-minute load average, to note how busy the shared machine was.</summary>
    public static double LoadAverage()
    {
        try { return double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture); }
        catch (IOException) { return double.NaN; }
    }
}
