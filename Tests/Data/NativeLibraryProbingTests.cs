using System.Runtime.InteropServices;
using MlToolkit.Data.Hosting;

namespace MlToolkit.Tests.Data;

/// <summary>Where MlToolkit looks for a dependency's native library when the host (a notebook kernel) does not find it.</summary>
public sealed class NativeLibraryProbingTests
{
    [LinuxFact("the expected file names are Linux's (lib*.so)")]
    public void A_dllimport_name_is_looked_up_in_the_runtime_folder_then_beside_the_assembly_with_the_platform_names()
    {
        var lightGbm = typeof(Microsoft.ML.Trainers.LightGbm.LightGbmBinaryTrainer).Assembly;
        var folder = Path.GetDirectoryName(lightGbm.Location)!;
        var native = Path.Combine(folder, "runtimes", RuntimeInformation.RuntimeIdentifier, "native");
        var candidates = NativeLibraryProbing.Candidates(lightGbm, "lib_lightgbm");
        Assert.Equal(new[] { Path.Combine(native, "lib_lightgbm"), Path.Combine(folder, "lib_lightgbm"), Path.Combine(native, "lib_lightgbm.so") },
            candidates.Take(3));
        Assert.Equal(candidates.Count, candidates.Distinct().Count());
        // The build output this test runs from really holds the library at one of them.
        Assert.Contains(Path.Combine(native, "lib_lightgbm.so"), candidates.Where(File.Exists));
        Assert.Contains(Path.Combine(native, "libSkiaSharp.so"), NativeLibraryProbing.Candidates(lightGbm, "libSkiaSharp").Where(File.Exists));
    }
}
