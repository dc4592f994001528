using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Graft.Bench;

/// <summary>Timing and reporting helpers shared by the benchmarks.</summary>
internal static class BenchTiming
{
    /// <summary>Seconds taken by one call of <paramref name="action"/>.</summary>
    public static double Time(Action action)
    {
        long t0 = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(t0).TotalSeconds;
    }

    public static double Median(List<double> xs)
    {
        var s = xs.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }

    /// <summary>The repository root (where Graft.slnx is), found from the executable's folder.</summary>
    public static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Graft.slnx"))) return d.FullName;
        return Directory.GetCurrentDirectory();
    }

    public static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (line is not null) return line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException) { }
        return RuntimeInformation.ProcessArchitecture.ToString();
    }

    /// <summary>1-minute load average: the machines are shared, so a busy one explains a slow figure.</summary>
    public static double? LoadAverage()
    {
        try { return double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture); }
        catch (IOException) { return null; }
    }
}
