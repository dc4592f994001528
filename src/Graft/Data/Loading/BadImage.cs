using Graft.Data.Images;

namespace Graft.Data.Loading;

/// <summary>A file the loader could not use, and why.</summary>
public sealed record BadImage(string Path, DecodeError Reason, string Detail)
{
    public override string ToString() => $"{Path}: {Reason}: {Detail}";
}
