using System.Runtime.InteropServices;

namespace MlToolkit.Trainers.Torch.Runtime;

/// <summary>Finds the libstdc++ the dynamic loader uses in this process and lists the versions it defines.</summary>
internal static class SystemLibstdcxx
{
    private const string SoName = "libstdc++.so.6";

    /// <summary>The path of the system libstdc++ and the version names it defines.</summary>
    public static (string Path, IReadOnlySet<string> Versions) Versions()
    {
        // Loading by soname picks exactly the copy the loader will bind LibTorchSharp to.
        if (!NativeLibrary.TryLoad(SoName, out _))
            throw new NativeLibraryLoadException($"The system C++ runtime {SoName} is not installed; install it (Debian/Ubuntu: apt-get install libstdc++6).");
        var path = LoadedModules.PathStartingWith("libstdc++.so")
            ?? throw new NativeLibraryLoadException($"{SoName} is loaded but /proc/self/maps does not show its file.");
        return (path, ElfSharedObject.Parse(File.ReadAllBytes(path), path).DefinedVersions());
    }
}
