namespace MlToolkit.Tests.Support;

/// <summary>Paths in the repository (tests read nothing outside it).</summary>
public static class RepoPaths
{
    /// <summary>The repository root (the folder holding MlToolkit.sln).</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "MlToolkit.sln")))
                return folder.FullName;
        }
        throw new InvalidOperationException($"MlToolkit.sln not found above {AppContext.BaseDirectory}");
    }
}
