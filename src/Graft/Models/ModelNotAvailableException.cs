namespace Graft.Models;

/// <summary>A zoo model is not in the cache and could not be fetched; the message says how to add it by hand.</summary>
public sealed class ModelNotAvailableException : Exception
{
    public ModelNotAvailableException(string modelName, string reason, string hint, Exception? inner = null)
        : base($"Model '{modelName}' is not in the cache and could not be fetched: {reason} {hint}", inner)
    {
        ModelName = modelName;
    }

    public string ModelName { get; }
}
