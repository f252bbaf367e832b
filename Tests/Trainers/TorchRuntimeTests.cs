using MlToolkit.Trainers.Torch.Runtime;
using MlToolkit.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace MlToolkit.Tests.Trainers;

[Collection(MlToolkit.Tests.Trainers.Torch.TorchCollection.Name)]
public sealed class TorchRuntimeTests
{
    private static string StockLibTorchSharp =>
        Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    [Fact]
    public void Loads_once_from_one_folder_and_patches_only_when_the_system_lacks_the_version()
    {
        var info = TorchRuntime.EnsureLoaded();
        Assert.Same(info, TorchRuntime.EnsureLoaded());
        if (!OperatingSystem.IsLinux())
            return;

        var (_, systemVersions) = SystemLibstdcxx.Versions();
        var expectPatch = !systemVersions.Contains("GLIBCXX_3.4.32");
        Assert.Equal(expectPatch, info.Patched);
        if (expectPatch)
            Assert.Equal(new[] { "GLIBCXX_3.4.32" }, info.WeakenedVersions);

        var maps = File.ReadAllLines("/proc/self/maps").Select(l => l.IndexOf('/') is var i and >= 0 ? l[i..] : "").ToList();
        Assert.Single(maps.Where(p => p.EndsWith("/libtorch_cpu.so")).Distinct());
        Assert.Single(maps.Where(p => p.EndsWith("/libLibTorchSharp.so")).Distinct());
        Assert.Contains(info.LibTorchSharpPath, maps);
    }

    [Fact]
    public void A_small_network_trains_and_its_loss_falls_tenfold()
    {
        TorchRuntime.EnsureLoaded();
        torch.manual_seed(7);
        using var scope = torch.NewDisposeScope();
        // y = 3*x0 - 2*x1 + 0.5, learnt by a two-layer network with Adam.
        var x = torch.rand(256, 2) * 4 - 2;
        var y = (3 * x[.., 0] - 2 * x[.., 1] + 0.5).unsqueeze(1);
        var model = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 1));
        var optimizer = optim.Adam(model.parameters(), lr: 0.05);
        float first = 0, last = 0;
        for (var step = 0; step < 300; step++)
        {
            optimizer.zero_grad();
            var loss = nn.functional.mse_loss(model.forward(x), y);
            loss.backward();
            optimizer.step();
            last = loss.item<float>();
            if (step == 0)
                first = last;
        }
        Assert.True(last * 10 <= first, $"loss went from {first} to {last}");
    }

    [LinuxFact]
    public void Reads_what_the_stock_library_needs_and_patches_a_copy_only()
    {
        var original = File.ReadAllBytes(StockLibTorchSharp);
        var library = ElfSharedObject.Parse((byte[])original.Clone(), StockLibTorchSharp);
        var needs = library.RequiredVersions();
        var glibcxx332 = Assert.Single(needs, n => n.Name == "GLIBCXX_3.4.32");
        Assert.Equal("libstdc++.so.6", glibcxx332.File);
        Assert.False(glibcxx332.IsWeak);
        Assert.Contains(needs, n => n.Name == "GLIBC_2.2.5");
        Assert.Equal(new[] { "_ZSt21ios_base_library_initv" }, library.SymbolsBoundToVersion(glibcxx332.Index));

        library.MarkWeak(glibcxx332);
        var reparsed = ElfSharedObject.Parse(library.Image, "patched");
        Assert.True(reparsed.RequiredVersions().Single(n => n.Name == "GLIBCXX_3.4.32").IsWeak);
        Assert.All(reparsed.RequiredVersions().Where(n => n.Name != "GLIBCXX_3.4.32"), n => Assert.False(n.IsWeak));
        Assert.Equal(original.Length, library.Image.Length);
        Assert.Equal(1, original.Zip(library.Image).Count(pair => pair.First != pair.Second));
        Assert.Equal(original, File.ReadAllBytes(StockLibTorchSharp));
    }

    [LinuxFact]
    public void Weakens_only_the_versions_the_system_lacks()
    {
        var library = ElfSharedObject.Parse(File.ReadAllBytes(StockLibTorchSharp), StockLibTorchSharp);
        var allGlibcxx = library.RequiredVersions().Select(n => n.Name).ToHashSet();

        Assert.Empty(GlibcxxVersionPatch.VersionsToWeaken(library, allGlibcxx, "lib", "std"));
        allGlibcxx.Remove("GLIBCXX_3.4.32");
        var weaken = GlibcxxVersionPatch.VersionsToWeaken(library, allGlibcxx, "lib", "std");
        Assert.Equal("GLIBCXX_3.4.32", Assert.Single(weaken).Name);
    }

    [LinuxFact]
    public void Refuses_to_weaken_a_version_whose_symbols_are_really_used()
    {
        var library = ElfSharedObject.Parse(File.ReadAllBytes(StockLibTorchSharp), StockLibTorchSharp);
        var withoutGlibcxx330 = library.RequiredVersions().Select(n => n.Name).Where(n => n != "GLIBCXX_3.4.30" && n != "GLIBCXX_3.4.32").ToHashSet();

        var error = Assert.Throws<NativeLibraryLoadException>(() => GlibcxxVersionPatch.VersionsToWeaken(library, withoutGlibcxx330, "/x/libLibTorchSharp.so", "/usr/lib/libstdc++.so.6"));
        Assert.StartsWith("'/x/libLibTorchSharp.so' needs GLIBCXX_3.4.30 from libstdc++ for ", error.Message);
        Assert.Contains("the system libstdc++ ('/usr/lib/libstdc++.so.6') provides only up to GLIBCXX_3.4.29", error.Message);
    }

    [Fact]
    public void A_file_that_is_not_a_shared_library_gets_a_clear_error()
    {
        var error = Assert.Throws<NativeLibraryLoadException>(() => ElfSharedObject.Parse("#!/bin/sh\necho not elf\n"u8.ToArray().Concat(new byte[64]).ToArray(), "/tmp/fake.so"));
        Assert.Equal("Cannot read '/tmp/fake.so' as a shared library: not an ELF file.", error.Message);
    }
}
