namespace Graft.Data.Loading;

/// <summary>
/// Files with identical bytes that would otherwise have straddled two splits. <see cref="KeptIn"/> names the one
/// split all copies were put in; for a dataset split on disk (train/ and val/ folders) Graft does not move files,
/// so <see cref="Moved"/> is false and the group is only reported.
/// </summary>
public sealed record DuplicateGroup(IReadOnlyList<string> Paths, string KeptIn, bool Moved);
