using System.Runtime.InteropServices;
using TorchSharp;

namespace MlToolkit.Trainers.Torch.Runtime;

/// <summary>
/// Finds the one folder that holds LibTorchSharp and the one that holds libtorch, looking where the .NET host
/// would (the app's native search folders, its base folder) and then in the NuGet packages folder, which is
/// where they are for scripts and notebooks that reference the packages without a build output.
/// </summary>
internal static class TorchNativeLocator
{
    public static string RuntimeIdentifier =>
        RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "win-x64"
        : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "osx-arm64"
        : "linux-x64";

    public static string LibTorchSharpFileName =>
        RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "LibTorchSharp.dll"
        : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "libLibTorchSharp.dylib"
        : "libLibTorchSharp.so";

    public static string LibTorchCpuFileName =>
        RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "torch_cpu.dll"
        : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "libtorch_cpu.dylib"
        : "libtorch_cpu.so";

    /// <summary>The folders searched, in order; <see cref="Find"/> returns the first that has the file.</summary>
    public static IReadOnlyList<string> CandidateFolders(string packageId)
    {
        var folders = new List<string>();
        if (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") is string searchDirectories)
            folders.AddRange(searchDirectories.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        var native = Path.Combine("runtimes", RuntimeIdentifier, "native");
        folders.Add(AppContext.BaseDirectory);
        folders.Add(Path.Combine(AppContext.BaseDirectory, native));
        var torchSharpFolder = Path.GetDirectoryName(typeof(torch).Assembly.Location);
        if (!string.IsNullOrEmpty(torchSharpFolder))
        {
            folders.Add(torchSharpFolder);
            folders.Add(Path.Combine(torchSharpFolder, native));
            // Inside the packages folder TorchSharp.dll sits at <id>/<version>/lib/<tfm>/.
            folders.Add(Path.GetFullPath(Path.Combine(torchSharpFolder, "..", "..", native)));
        }
        var packages = NuGetPackagesFolder();
        var packageFolder = Path.Combine(packages, packageId);
        if (Directory.Exists(packageFolder))
        {
            folders.AddRange(Directory.GetDirectories(packageFolder)
                .OrderByDescending(v => Version.TryParse(Path.GetFileName(v), out var parsed) ? parsed : new Version())
                .Select(v => Path.Combine(v, native)));
        }
        return folders.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>The first candidate folder holding <paramref name="fileName"/>, or null.</summary>
    public static string? Find(string fileName, string packageId) =>
        CandidateFolders(packageId).FirstOrDefault(folder => File.Exists(Path.Combine(folder, fileName)));

    private static string NuGetPackagesFolder()
    {
        var configured = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        if (!string.IsNullOrEmpty(configured))
            return configured;
        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
    }
}
