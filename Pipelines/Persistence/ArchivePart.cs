namespace MlToolkit.Pipelines.Persistence;

/// <summary>One file inside a model archive, as listed in its manifest.</summary>
/// <param name="Name">Path inside the archive.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the part's bytes.</param>
/// <param name="Length">Length in bytes.</param>
public sealed record ArchivePart(string Name, string Sha256, long Length);
