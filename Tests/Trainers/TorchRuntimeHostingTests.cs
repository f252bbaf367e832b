using System.Text.Json.Nodes;
using MlToolkit.Tests.Support;

namespace MlToolkit.Tests.Trainers;

/// <summary>The native runtime loads with no manual step in each way users run the toolkit.</summary>
public sealed class TorchRuntimeHostingTests
{
    [Fact]
    public void The_cli_doctor_command_loads_torch_and_computes()
    {
        using var folder = new TempFolder();
        var result = CliRunner.AsProcess(folder.Path, "doctor", "--json");
        Assert.True(result.ExitCode == 0, result.Error);
        var json = JsonNode.Parse(result.Out)!;
        Assert.Equal("ok", (string)json["tensorCheck"]!);
        Assert.StartsWith(AppContext.BaseDirectory.TrimEnd('/'), (string)json["libTorchFolder"]!);
    }

    [Fact]
    public void A_file_based_app_referencing_the_library_trains_and_round_trips_a_model()
    {
        var script = Path.Combine(RepoPaths.Root, "Tests", "Scripts", "torch_smoke.cs");
        var result = ProcessRunner.Run("dotnet", new[] { "run", script }, Path.GetDirectoryName(script)!, TimeSpan.FromMinutes(5));
        Assert.True(result.ExitCode == 0, result.Out + result.Error);
        var line = result.Out.Trim().Split('\n').Last().Trim();
        Assert.Matches(@"^patched=(True|False) ratio=\d+\.\d roundtrip=True$", line);
        var ratio = double.Parse(line.Split(' ')[1]["ratio=".Length..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(ratio >= 10, line);
    }
}
