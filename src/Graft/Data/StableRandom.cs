namespace Graft.Data;

/// <summary>
/// A small seeded generator (SplitMix64) whose sequence is fixed by this code, not by the runtime: splits,
/// shuffles and augmentations must come out the same on every machine and .NET version.
/// Streams for (seed, epoch, sample) are derived by <see cref="Derive"/>, so results do not depend on
/// which thread handles which sample.
/// </summary>
public struct StableRandom
{
    private ulong _state;

    public StableRandom(ulong seed) => _state = seed;

    public static StableRandom Derive(long seed, params ReadOnlySpan<long> keys)
    {
        ulong s = Mix((ulong)seed ^ 0x9E3779B97F4A7C15UL);
        foreach (long k in keys) s = Mix(s ^ Mix((ulong)k + 0x632BE59BD9B4E019UL));
        return new StableRandom(s);
    }

    /// <summary>FNV-1a of a string's UTF-16 code units: a stable key for class names.</summary>
    public static long Key(string text)
    {
        ulong h = 14695981039346656037UL;
        foreach (char c in text) h = (h ^ c) * 1099511628211UL;
        return (long)h;
    }

    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [min, max).</summary>
    public double NextDouble(double min, double max) => min + (max - min) * NextDouble();

    /// <summary>Uniform in [0, n).</summary>
    public int Next(int n) => n <= 0 ? throw new ArgumentOutOfRangeException(nameof(n)) : (int)((NextUInt64() >> 32) * (ulong)n >> 32);

    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
