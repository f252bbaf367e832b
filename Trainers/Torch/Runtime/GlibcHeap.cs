using System.Collections;
using System.Runtime.InteropServices;

namespace MlToolkit.Trainers.Torch.Runtime;

/// <summary>
/// Keeps glibc's heap from handing libtorch's scratch memory back to the kernel after every operation. A forest's
/// forward pass allocates and frees megabytes of temporaries per batch; on a thread other than the main one (ML.NET
/// scores an ensemble's members on its own worker threads) glibc's per-thread heap was trimmed after each free and faulted
/// back in on the next allocation: scoring an eight-member ensemble spent 7 of its 15 s in the kernel. With a fixed trim
/// threshold of <see cref="TrimThresholdBytes"/> and allocations below <see cref="MmapThresholdBytes"/> served from the heap, the same run
/// takes 9 s (bench/README.md, "Torch scoring off the main thread").
/// </summary>
internal static class GlibcHeap
{
    /// <summary>Free memory at the top of a heap that glibc keeps instead of returning it (its default is 128 KiB, raised as it goes on the main heap only).</summary>
    public const int TrimThresholdBytes = 64 << 20;

    /// <summary>Allocations of this size or more get their own mapping (glibc's largest dynamic threshold on 64-bit).</summary>
    public const int MmapThresholdBytes = 32 << 20;

    private const int MallocTrimThreshold = -1;
    private const int MallocMmapThreshold = -3;

    private delegate int Mallopt(int parameter, int value);

    /// <summary>
    /// Sets both thresholds unless <paramref name="environment"/> already tunes glibc's malloc (the user's choice wins)
    /// or this is not a glibc process; true when they were set.
    /// </summary>
    public static bool Tune(IDictionary environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux) || UserTunesMalloc(environment))
            return false;
        if (!NativeLibrary.TryLoad("libc.so.6", out var libc) || !NativeLibrary.TryGetExport(libc, "mallopt", out var address))
            return false;
        var mallopt = Marshal.GetDelegateForFunctionPointer<Mallopt>(address);
        return mallopt(MallocTrimThreshold, TrimThresholdBytes) == 1 & mallopt(MallocMmapThreshold, MmapThresholdBytes) == 1;
    }

    /// <summary>True when <paramref name="environment"/> sets a glibc malloc tunable or a <c>MALLOC_*_</c> variable.</summary>
    public static bool UserTunesMalloc(IDictionary environment) =>
        environment.Keys.Cast<object>().Select(k => k.ToString()!).Any(name =>
            (name.StartsWith("MALLOC_", StringComparison.Ordinal) && name.EndsWith('_'))
            || (name == "GLIBC_TUNABLES" && (environment[name]?.ToString() ?? "").Contains("glibc.malloc.", StringComparison.Ordinal)));
}
