namespace MlToolkit.Trainers.Torch.Runtime;

/// <summary>Reads <c>/proc/self/maps</c> to find which file backs a shared library already in the process.</summary>
internal static class LoadedModules
{
    /// <summary>The full path of a loaded module whose file name is <paramref name="fileName"/>, or null.</summary>
    public static string? PathOf(string fileName) => Paths().FirstOrDefault(p => Path.GetFileName(p) == fileName);

    /// <summary>The full path of a loaded module whose file name starts with <paramref name="prefix"/>, or null.</summary>
    public static string? PathStartingWith(string prefix) =>
        Paths().FirstOrDefault(p => Path.GetFileName(p).StartsWith(prefix, StringComparison.Ordinal));

    private static IEnumerable<string> Paths()
    {
        const string maps = "/proc/self/maps";
        if (!File.Exists(maps))
            return Array.Empty<string>();
        return File.ReadLines(maps)
            .Select(line => line.IndexOf('/') is var slash and >= 0 ? line[slash..] : null)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }
}
