namespace MlToolkit.Trainers.Torch.Runtime;

/// <summary>
/// Decides whether a LibTorchSharp build can run against an older system libstdc++, and which of its
/// required <c>GLIBCXX_*</c> versions to mark weak so that the dynamic loader accepts it.
/// </summary>
/// <remarks>
/// TorchSharp 0.107's <c>libLibTorchSharp.so</c> was linked with GCC 13 and so requires GLIBCXX_3.4.32,
/// but the only symbol bound to that version is <c>std::ios_base_library_init()</c>, a marker GCC 13 emits
/// at link time and that nothing calls. Weakening the version is then safe. A missing version that binds any
/// other symbol is a real incompatibility, and is reported instead of patched.
/// </remarks>
internal static class GlibcxxVersionPatch
{
    private static readonly HashSet<string> LinkTimeMarkerSymbols = new(StringComparer.Ordinal)
    {
        "_ZSt21ios_base_library_initv",
    };

    /// <summary>
    /// The required libstdc++ versions that <paramref name="systemVersions"/> lacks and that are safe to weaken.
    /// Empty when the library loads as it is.
    /// </summary>
    /// <exception cref="NativeLibraryLoadException">A missing version binds symbols the library really uses.</exception>
    public static IReadOnlyList<VersionNeed> VersionsToWeaken(ElfSharedObject library, IReadOnlySet<string> systemVersions, string libraryPath, string systemLibraryPath)
    {
        var missing = library.RequiredVersions()
            .Where(need => need.File.StartsWith("libstdc++", StringComparison.Ordinal) && !need.IsWeak && !systemVersions.Contains(need.Name))
            .ToList();
        foreach (var need in missing)
        {
            var used = library.SymbolsBoundToVersion(need.Index).Where(s => !LinkTimeMarkerSymbols.Contains(s)).ToList();
            if (used.Count > 0)
            {
                throw new NativeLibraryLoadException(
                    $"'{libraryPath}' needs {need.Name} from libstdc++ for {string.Join(", ", used.Take(5))}, " +
                    $"but the system libstdc++ ('{systemLibraryPath}') provides only up to {Newest(systemVersions)}. " +
                    "Install a newer libstdc++ (GCC 13 or later) or use an OS release that ships one.");
            }
        }
        return missing;
    }

    private static string Newest(IReadOnlySet<string> versions) =>
        versions.Where(v => v.StartsWith("GLIBCXX_", StringComparison.Ordinal))
            .Select(v => (Name: v, Parsed: Version.TryParse(v["GLIBCXX_".Length..], out var parsed) ? parsed : new Version()))
            .OrderByDescending(v => v.Parsed)
            .Select(v => v.Name)
            .FirstOrDefault() ?? "no GLIBCXX version";
}
