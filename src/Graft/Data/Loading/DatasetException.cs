namespace Graft.Data.Loading;

/// <summary>The folder layout itself is unusable (no classes, an empty class, a class missing from train, ...).</summary>
public sealed class DatasetException(string message) : Exception(message);
