namespace Graft.Models;

/// <summary>Where a zoo model comes from and how its files are recognised.</summary>
/// <param name="Source">Who made the weights and how they reached this format.</param>
/// <param name="License">SPDX identifier of the weights' license.</param>
/// <param name="Url">The public address the files are published at.</param>
/// <param name="Hash">The pinned digest the files must match ("sha256:…" or an npm "sha512-…" integrity).</param>
/// <param name="Notes">What a user should know before relying on the weights.</param>
public sealed record Provenance(string Source, string License, string Url, string Hash, string Notes = "");
