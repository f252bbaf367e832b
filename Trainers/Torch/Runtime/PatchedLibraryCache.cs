using System.Security.Cryptography;

namespace MlToolkit.Trainers.Torch.Runtime;

/// <summary>
/// Keeps patched copies of native libraries in a per-user cache, one folder per hash of the original file,
/// so the build output and the NuGet packages folder are never modified. Writes are atomic (temp file, then
/// rename), so concurrent processes and interrupted writes never leave a half-written library behind.
/// </summary>
internal static class PatchedLibraryCache
{
    /// <summary>Environment variable that overrides the cache folder.</summary>
    public const string CacheFolderVariable = "MLTOOLKIT_NATIVE_CACHE";

    /// <summary>Returns the path of a cached file holding <paramref name="patched"/>, writing it if needed.</summary>
    public static string Store(byte[] original, byte[] patched, string fileName)
    {
        var key = Convert.ToHexString(SHA256.HashData(original))[..16].ToLowerInvariant();
        var errors = new List<string>();
        foreach (var root in CacheRoots())
        {
            var folder = Path.Combine(root, key);
            var target = Path.Combine(folder, fileName);
            try
            {
                if (File.Exists(target) && File.ReadAllBytes(target).AsSpan().SequenceEqual(patched))
                    return target;
                Directory.CreateDirectory(folder);
                var temporary = Path.Combine(folder, $".{fileName}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
                File.WriteAllBytes(temporary, patched);
                File.Move(temporary, target, overwrite: true);
                return target;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                errors.Add($"{folder}: {e.Message}");
            }
        }
        throw new NativeLibraryLoadException(
            $"Cannot write the patched copy of {fileName} to any cache folder (set {CacheFolderVariable} to a writable folder): {string.Join("; ", errors)}");
    }

    private static IEnumerable<string> CacheRoots()
    {
        var configured = Environment.GetEnvironmentVariable(CacheFolderVariable);
        if (!string.IsNullOrEmpty(configured))
        {
            yield return configured;
            yield break;
        }
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (!string.IsNullOrEmpty(xdg))
            yield return Path.Combine(xdg, "mltoolkit", "native");
        else if (!string.IsNullOrEmpty(home))
            yield return Path.Combine(home, ".cache", "mltoolkit", "native");
        yield return Path.Combine(Path.GetTempPath(), "mltoolkit-native");
    }
}
