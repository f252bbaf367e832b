using System.Runtime.InteropServices;
using TorchSharp;

namespace MlToolkit.Trainers.Torch.Runtime;

/// <summary>
/// Loads TorchSharp's native libraries once per process, from one folder, with no manual step on any
/// supported OS. Every torch trainer calls <see cref="EnsureLoaded"/> before its first torch call; scripts
/// and notebooks that use TorchSharp directly can call it themselves.
/// </summary>
/// <remarks>
/// On Linux the stock <c>libLibTorchSharp.so</c> of TorchSharp 0.107 requires GLIBCXX_3.4.32 (GCC 13), which
/// older distributions such as Debian 12 lack although the library never calls into it. When the system
/// libstdc++ lacks a required version that only binds link-time markers, a copy of the library with that
/// version marked weak is written to a per-user cache and loaded instead. Elsewhere nothing is patched.
/// libtorch itself is loaded by absolute path from the folder next to LibTorchSharp, before TorchSharp's
/// own probing runs, so the process never loads two copies (which aborts libtorch). glibc's heap is told to keep
/// freed memory for reuse (<see cref="GlibcHeap"/>) unless the environment already tunes it.
/// </remarks>
public static class TorchRuntime
{
    private static readonly object Gate = new();
    private static TorchRuntimeInfo? _loaded;

    /// <summary>Loads the native libraries if this process has not yet; returns what was loaded.</summary>
    /// <exception cref="NativeLibraryLoadException">The libraries are missing, incompatible or fail to load; the message says which and why.</exception>
    public static TorchRuntimeInfo EnsureLoaded()
    {
        if (_loaded is { } loaded)
            return loaded;
        lock (Gate)
        {
            _loaded ??= RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? LoadOnLinux() : LoadElsewhere();
            return _loaded;
        }
    }

    private static TorchRuntimeInfo LoadElsewhere()
    {
        InitializeTorch("TorchSharp's default probing");
        return new TorchRuntimeInfo("(TorchSharp default probing)", "(TorchSharp default probing)", Array.Empty<string>());
    }

    private static TorchRuntimeInfo LoadOnLinux()
    {
        GlibcHeap.Tune(Environment.GetEnvironmentVariables());
        var alreadyLoaded = LoadedModules.PathOf(TorchNativeLocator.LibTorchSharpFileName);
        if (alreadyLoaded is not null)
        {
            InitializeTorch(alreadyLoaded);
            return new TorchRuntimeInfo(alreadyLoaded, Path.GetDirectoryName(alreadyLoaded)!, Array.Empty<string>());
        }

        var sharpFolder = TorchNativeLocator.Find(TorchNativeLocator.LibTorchSharpFileName, "torchsharp")
            ?? throw NotFound(TorchNativeLocator.LibTorchSharpFileName, "TorchSharp", "torchsharp");
        var torchFolder = File.Exists(Path.Combine(sharpFolder, TorchNativeLocator.LibTorchCpuFileName))
            ? sharpFolder
            : TorchNativeLocator.Find(TorchNativeLocator.LibTorchCpuFileName, $"libtorch-cpu-{TorchNativeLocator.RuntimeIdentifier}")
              ?? throw NotFound(TorchNativeLocator.LibTorchCpuFileName, $"libtorch-cpu-{TorchNativeLocator.RuntimeIdentifier}", $"libtorch-cpu-{TorchNativeLocator.RuntimeIdentifier}");

        var sharpPath = Path.Combine(sharpFolder, TorchNativeLocator.LibTorchSharpFileName);
        var original = File.ReadAllBytes(sharpPath);
        var library = ElfSharedObject.Parse((byte[])original.Clone(), sharpPath);
        var (stdcxxPath, stdcxxVersions) = SystemLibstdcxx.Versions();
        var weaken = GlibcxxVersionPatch.VersionsToWeaken(library, stdcxxVersions, sharpPath, stdcxxPath);

        var loadPath = sharpPath;
        if (weaken.Count > 0)
        {
            foreach (var need in weaken)
                library.MarkWeak(need);
            loadPath = PatchedLibraryCache.Store(original, library.Image, TorchNativeLocator.LibTorchSharpFileName);
        }

        // Dependencies first, by absolute path: LibTorchSharp's NEEDED entries then bind to these by soname.
        foreach (var dependency in new[] { "libc10.so", "libtorch_cpu.so", "libtorch.so" })
            Load(Path.Combine(torchFolder, dependency));
        Load(loadPath);
        InitializeTorch(loadPath);
        return new TorchRuntimeInfo(loadPath, torchFolder, weaken.Select(w => w.Name).ToList());
    }

    private static void Load(string path)
    {
        try
        {
            NativeLibrary.Load(path);
        }
        catch (DllNotFoundException e)
        {
            throw new NativeLibraryLoadException($"Cannot load native library '{path}': {e.Message}", e);
        }
    }

    private static void InitializeTorch(string source)
    {
        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
        }
        catch (Exception e) when (e is TypeInitializationException or NotSupportedException or DllNotFoundException or EntryPointNotFoundException)
        {
            throw new NativeLibraryLoadException($"TorchSharp failed to initialise its CPU backend from {source}: {e.GetBaseException().Message}", e);
        }
    }

    private static NativeLibraryLoadException NotFound(string fileName, string packageName, string packageId) =>
        new($"Cannot find {fileName}. Reference the NuGet package '{packageName}' (MlToolkit.Trainers does) and build, " +
            $"or restore it into the NuGet packages folder. Looked in: {string.Join(", ", TorchNativeLocator.CandidateFolders(packageId))}");
}

/// <summary>What <see cref="TorchRuntime.EnsureLoaded"/> loaded.</summary>
/// <param name="LibTorchSharpPath">The LibTorchSharp file loaded (a patched copy in the cache when patched).</param>
/// <param name="LibTorchFolder">The folder libtorch was loaded from.</param>
/// <param name="WeakenedVersions">Symbol versions marked weak in the patched copy; empty when none was needed.</param>
public sealed record TorchRuntimeInfo(string LibTorchSharpPath, string LibTorchFolder, IReadOnlyList<string> WeakenedVersions)
{
    /// <summary>True when a patched copy of LibTorchSharp was loaded.</summary>
    public bool Patched => WeakenedVersions.Count > 0;
}
