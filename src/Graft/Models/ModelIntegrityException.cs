namespace Graft.Models;

/// <summary>Files offered for a zoo model do not match its pinned hash; nothing was written to the cache.</summary>
public sealed class ModelIntegrityException : Exception
{
    public ModelIntegrityException(string modelName, string origin, string expected, string actual)
        : base($"Model '{modelName}': the files from {origin} have hash {actual}, but {expected} is pinned. They were refused and nothing was written to the cache. " +
               "Hint: the download may be corrupt or the publisher changed the files; fetch them again from the URL in the model's provenance.")
    {
        ModelName = modelName;
        Origin = origin;
        Expected = expected;
        Actual = actual;
    }

    public string ModelName { get; }
    /// <summary>Where the refused files came from (a URL or a path).</summary>
    public string Origin { get; }
    public string Expected { get; }
    public string Actual { get; }
}
