namespace Graft.Import.TfJs;

/// <summary>
/// A model file is malformed or cannot be represented in Graft. Carries the file, the layer or weight concerned
/// (when there is one) and the reason, so a user can find the fault without a debugger.
/// </summary>
public sealed class ModelFormatException : Exception
{
    public ModelFormatException(string filePath, string? item, string reason, Exception? inner = null)
        : base(Format(filePath, item, reason), inner)
    {
        FilePath = filePath;
        Item = item;
        Reason = reason;
    }

    /// <summary>The file at fault (model.json, a shard, a packaged module).</summary>
    public string FilePath { get; }

    /// <summary>The layer or weight concerned, or null when the fault concerns the whole file.</summary>
    public string? Item { get; }

    public string Reason { get; }

    private static string Format(string filePath, string? item, string reason) =>
        $"{filePath}: " + (item is null ? "" : $"'{item}': ") + reason;
}
