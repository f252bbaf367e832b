using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace MlToolkit.Data.Hosting;

/// <summary>
/// Finds the native libraries of MlToolkit's dependencies (LightGBM, FastTree, SkiaSharp, SQLite, ...) next to the
/// MlToolkit assemblies when the host process does not: a Polyglot notebook loads the assemblies with <c>#r "path.dll"</c>,
/// and the kernel then probes only its own folder, so every LightGBM trial failed with <c>DllNotFoundException</c>.
/// Registered when this assembly loads; an application that resolves its natives itself never reaches it.
/// </summary>
public static class NativeLibraryProbing
{
    private static readonly HashSet<AssemblyLoadContext> Followed = new();
    private static int _registered;

    /// <summary>
    /// Adds the fallback (once per process): when the default probing fails, a library is looked up in
    /// <c>runtimes/&lt;rid&gt;/native/</c> and the folder itself, beside this assembly and beside the one asking for it.
    /// </summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) != 0)
            return;
        // The Polyglot kernel loads each '#r' assembly (and each dependency beside it) into a load context of its own,
        // and only the requesting assembly's context raises the event: follow every context, present and future.
        AppDomain.CurrentDomain.AssemblyLoad += (_, loaded) => Follow(AssemblyLoadContext.GetLoadContext(loaded.LoadedAssembly));
        foreach (var context in AssemblyLoadContext.All)
            Follow(context);
    }

    /// <summary>The files tried for <paramref name="name"/> asked for by <paramref name="requester"/>, in order.</summary>
    public static IReadOnlyList<string> Candidates(Assembly requester, string name)
    {
        ArgumentNullException.ThrowIfNull(requester);
        ArgumentException.ThrowIfNullOrEmpty(name);
        return Paths(requester, name).Distinct(StringComparer.Ordinal).ToList();
    }

    private static IEnumerable<string> Paths(Assembly requester, string name)
    {
        var folders = new[] { Path.GetDirectoryName(requester.Location), Path.GetDirectoryName(typeof(NativeLibraryProbing).Assembly.Location) }
            .Where(f => !string.IsNullOrEmpty(f)).Distinct(StringComparer.Ordinal).Cast<string>();
        foreach (var folder in folders)
            foreach (var file in FileNames(name))
            {
                yield return Path.Combine(folder, "runtimes", RuntimeInformation.RuntimeIdentifier, "native", file);
                yield return Path.Combine(folder, "runtimes", PortableRuntimeIdentifier, "native", file);
                yield return Path.Combine(folder, file);
            }
    }

    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255", Justification = "Native dependencies must resolve in hosts such as notebook kernels before the first call that needs them.")]
    internal static void RegisterOnLoad() => Register();

    private static void Follow(AssemblyLoadContext? context)
    {
        if (context is null)
            return;
        lock (Followed)
        {
            if (!Followed.Add(context))
                return;
        }
        context.ResolvingUnmanagedDll += Resolve;
    }

    private static IntPtr Resolve(Assembly requester, string name)
    {
        foreach (var path in Candidates(requester, name))
            if (File.Exists(path) && NativeLibrary.TryLoad(path, out var handle))
                return handle;
        return IntPtr.Zero;
    }

    /// <summary>lib_lightgbm, libFastTreeNative.so, FastTreeNative.dll, ...: the names a DllImport of <paramref name="name"/> may mean.</summary>
    private static IEnumerable<string> FileNames(string name)
    {
        yield return name;
        var (prefix, suffix) = OperatingSystem.IsWindows() ? ("", ".dll") : OperatingSystem.IsMacOS() ? ("lib", ".dylib") : ("lib", ".so");
        if (!name.EndsWith(suffix, StringComparison.Ordinal))
        {
            yield return name + suffix;
            if (!name.StartsWith(prefix, StringComparison.Ordinal))
                yield return prefix + name + suffix;
        }
    }

    private static string PortableRuntimeIdentifier =>
        $"{(OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux")}-{RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()}";
}
