namespace Graft.Tests.Support;

/// <summary>
/// Locates ../shared (datasets, models, reference outputs) beside the repository root, or $GRAFT_SHARED.
/// Tests that need it fail with a clear message when it is missing: CI always has it.
/// </summary>
public static class SharedData
{
    private static readonly Lazy<string> s_repoRoot = new(() =>
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Graft.slnx"))) return d.FullName;
        throw new DirectoryNotFoundException($"Could not find the repository root (Graft.slnx) above {AppContext.BaseDirectory}.");
    });

    public static string RepoRoot => s_repoRoot.Value;

    public static string Root
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("GRAFT_SHARED");
            var root = !string.IsNullOrEmpty(env) ? env : Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));
            if (!Directory.Exists(root))
                throw new DirectoryNotFoundException($"Shared data not found at {root}. Hint: put the shared folder beside the checkout or set GRAFT_SHARED.");
            return root;
        }
    }

    public static string PathTo(params string[] parts) => Path.Combine(new[] { Root }.Concat(parts).ToArray());

    /// <summary>Test fixtures committed under tests/Graft.Tests/Fixtures.</summary>
    public static string Fixture(params string[] parts) => Path.Combine(new[] { RepoRoot, "tests", "Graft.Tests", "Fixtures" }.Concat(parts).ToArray());
}
