using System.Globalization;

namespace Graft.Cli;

/// <summary>
/// Parsed command-line words: positionals, --name value options and --flag switches. Every option a command
/// reads must be declared, so a typo is a usage error instead of being ignored.
/// </summary>
public sealed class CliArgs
{
    private readonly Dictionary<string, string> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    public CliArgs(string[] args, IReadOnlyCollection<string> valueOptions, IReadOnlyCollection<string> flags)
    {
        for (int i = 0; i < args.Length; i++)
        {
            var a = args[i];
            if (!a.StartsWith("--", StringComparison.Ordinal) || a == "--") { Positionals.Add(a); continue; }
            var (name, inline) = a.Contains('=') ? (a[..a.IndexOf('=')], a[(a.IndexOf('=') + 1)..]) : (a, null);
            if (flags.Contains(name)) { _flags.Add(name); continue; }
            if (!valueOptions.Contains(name))
                throw new UsageException($"unknown option '{name}'", $"options here: {string.Join(", ", valueOptions.Concat(flags).Order())}");
            var value = inline ?? (i + 1 < args.Length ? args[++i] : throw new UsageException($"option '{name}' needs a value", $"write {name} <value>"));
            _options[name] = value;
        }
    }

    public List<string> Positionals { get; } = new();
    public bool Flag(string name) => _flags.Contains(name);
    public string? Get(string name) => _options.GetValueOrDefault(name);

    public string Positional(int index, string what) =>
        index < Positionals.Count ? Positionals[index] : throw new UsageException($"missing {what}", "run `graft help` for usage");

    public int Int(string name, int fallback, int min = int.MinValue)
    {
        if (Get(name) is not { } s) return fallback;
        if (!int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) || v < min)
            throw new UsageException($"option {name} expects an integer{(min > int.MinValue ? $" ≥ {min}" : "")}; received '{s}'", $"e.g. {name} {Math.Max(min, 1)}");
        return v;
    }

    public double? Double(string name, double min = double.NegativeInfinity, double max = double.PositiveInfinity)
    {
        if (Get(name) is not { } s) return null;
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || v < min || v > max)
            throw new UsageException($"option {name} expects a number in [{min}, {max}]; received '{s}'", $"e.g. {name} {(max <= 1 ? "0.2" : "0.001")}");
        return v;
    }

    public T Enum<T>(string name, T fallback) where T : struct, System.Enum
    {
        if (Get(name) is not { } s) return fallback;
        return System.Enum.TryParse<T>(s, ignoreCase: true, out var v) && System.Enum.IsDefined(v) ? v
            : throw new UsageException($"option {name} expects one of {string.Join("|", System.Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}; received '{s}'", $"e.g. {name} {System.Enum.GetNames<T>()[0].ToLowerInvariant()}");
    }
}

/// <summary>A mistake in the command line: exit code 2 with a hint.</summary>
public sealed class UsageException(string message, string hint) : Exception(message)
{
    public string Hint { get; } = hint;
}
