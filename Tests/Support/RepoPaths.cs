namespace MlToolkit.Tests.Support;

/// <summary>Paths in the repository (tests read nothing outside it).</summary>
public static class RepoPaths
{
    /// <summary>The repository root (the folder holding MlToolkit.sln).</summary>
    public static string Root { get; } = MlToolkit.NotebookRunner.RepositoryRoot.Find(AppContext.BaseDirectory);
}
