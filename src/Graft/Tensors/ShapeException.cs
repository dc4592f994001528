namespace Graft.Tensors;

/// <summary>A tensor of the wrong shape reached a layer. The message names the layer, what it expected and what it got.</summary>
public sealed class ShapeMismatchException : ArgumentException
{
    public ShapeMismatchException(string layer, string expected, string received, string? hint = null)
        : base($"Layer '{layer}': expected input of shape {expected}. Received: {received}." + (hint is null ? "" : " Hint: " + hint))
    {
        Layer = layer;
        Expected = expected;
        Received = received;
    }

    public string Layer { get; }
    public string Expected { get; }
    public string Received { get; }
}
