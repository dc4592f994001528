namespace Graft.Models;

/// <summary>How much of a pre-trained network to load.</summary>
public sealed record LoadOptions
{
    /// <summary>Keep the original classifier. False cuts at the end of the trunk (<see cref="ZooEntry.TrunkEnd"/>).</summary>
    public bool IncludeTop { get; init; } = true;

    /// <summary>Global pooling appended after a cut (ignored when the classifier is kept).</summary>
    public Pooling Pooling { get; init; } = Pooling.None;

    /// <summary>Cut at this layer instead (its output becomes the model's output); overrides <see cref="IncludeTop"/>.</summary>
    public string? CutAt { get; init; }

    public static LoadOptions Full { get; } = new();
    public static LoadOptions Features(Pooling pooling = Pooling.Avg) => new() { IncludeTop = false, Pooling = pooling };
}
