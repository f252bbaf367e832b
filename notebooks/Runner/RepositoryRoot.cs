namespace MlToolkit.NotebookRunner;

/// <summary>The repository's root folder: the one with MlToolkit.sln (and the tool manifest that pins the kernel).</summary>
public static class RepositoryRoot
{
    /// <summary>The nearest folder at or above <paramref name="start"/> that holds MlToolkit.sln.</summary>
    public static string Find(string start)
    {
        for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "MlToolkit.sln")))
                return folder.FullName;
        throw new DirectoryNotFoundException($"No MlToolkit.sln at or above {start}: run this inside the repository.");
    }
}
