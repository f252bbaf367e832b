using System.Collections;
using System.Runtime.InteropServices;
using MlToolkit.Trainers.Torch.Runtime;

namespace MlToolkit.Tests.Trainers;

/// <summary>The heap settings torch scoring relies on off the main thread, checked by the page faults they save.</summary>
[Collection(MlToolkit.Tests.Trainers.Torch.TorchCollection.Name)]
public sealed class GlibcHeapTests
{
    [Fact]
    public void Memory_freed_on_a_worker_thread_is_reused_without_faulting_its_pages_in_again()
    {
        TorchRuntime.EnsureLoaded();
        Assert.True(OperatingSystem.IsLinux(), "GlibcHeap tunes glibc's malloc; the suite runs on Linux (see .ci/run).");
        Assert.False(GlibcHeap.UserTunesMalloc(Environment.GetEnvironmentVariables()), "this test measures MlToolkit's settings, not GLIBC_TUNABLES or MALLOC_*_ of the environment");
        const int pages = 50;
        long faults = 0;
        var worker = new Thread(() =>
        {
            AllocateTouchAndFree(pages);
            var before = MinorFaultsOfThisThread();
            for (var i = 0; i < 20; i++)
                AllocateTouchAndFree(pages);
            faults = MinorFaultsOfThisThread() - before;
        });
        worker.Start();
        worker.Join();
        // Measured: 25 faults. With glibc's defaults the heap is trimmed at the end of every round and the 20 rounds fault
        // 39,387 pages in (1,970 a round); the bound is one round's pages.
        Assert.True(faults < Buffers * pages, $"{faults} minor page faults in 20 rounds of {Buffers} buffers of {pages} pages");
    }

    [Fact]
    public void The_environment_s_own_malloc_settings_win()
    {
        Assert.False(GlibcHeap.UserTunesMalloc(new Hashtable { ["PATH"] = "/usr/bin", ["GLIBC_TUNABLES"] = "glibc.rtld.optional_static_tls=512" }));
        Assert.True(GlibcHeap.UserTunesMalloc(new Hashtable { ["GLIBC_TUNABLES"] = "glibc.malloc.arena_max=2" }));
        Assert.True(GlibcHeap.UserTunesMalloc(new Hashtable { ["MALLOC_TRIM_THRESHOLD_"] = "0" }));
        Assert.False(GlibcHeap.Tune(new Hashtable { ["MALLOC_ARENA_MAX"] = "x", ["MALLOC_MMAP_THRESHOLD_"] = "65536" }));
    }

    // As a forest's forward pass does: many temporaries of a few hundred KiB alive at once, all freed at the end.
    private static void AllocateTouchAndFree(int pages)
    {
        var buffers = Enumerable.Range(0, Buffers).Select(_ => Marshal.AllocHGlobal(pages * 4096)).ToList();
        foreach (var buffer in buffers)
        {
            for (var page = 0; page < pages; page++)
                Marshal.WriteByte(buffer, page * 4096, 1);
        }
        buffers.ForEach(Marshal.FreeHGlobal);
    }

    private const int Buffers = 40;

    private static long MinorFaultsOfThisThread()
    {
        var usage = new long[18];
        Assert.Equal(0, getrusage(1 /* RUSAGE_THREAD */, usage));
        return usage[8]; // after ru_utime and ru_stime (two longs each): maxrss, ixrss, idrss, isrss, then minflt
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int getrusage(int who, long[] usage);
}
