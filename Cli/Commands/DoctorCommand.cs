using MlToolkit.Data.IO;
using System.CommandLine;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using MlToolkit.Cli.Output;
using MlToolkit.Trainers.Torch.Runtime;
using TorchSharp;

namespace MlToolkit.Cli.Commands;

/// <summary><c>mltoolkit doctor</c>: loads the native torch runtime, runs one tensor operation and says what was loaded from where.</summary>
internal static class DoctorCommand
{
    public static Command Create(CliOutput output)
    {
        var json = new Option<bool>("--json") { Description = "Print the findings as JSON on standard output." };
        var command = new Command("doctor", "Check that the native TorchSharp/libtorch runtime loads on this machine and show where it comes from.");
        command.Options.Add(json);
        command.SetAction((result, cancellationToken) => Task.FromResult(TrainCommand.Run(output, cancellationToken, () =>
        {
            var info = TorchRuntime.EnsureLoaded();
            // A real computation, not just a load: 1+2+...+10.
            using var sum = torch.tensor(Enumerable.Range(1, 10).Select(i => (float)i).ToArray()).sum();
            var check = sum.item<float>();
            if (check != 55f)
                throw new NativeLibraryLoadException($"libtorch loaded but computed 1+...+10 = {check}.");
            var findings = new JsonObject
            {
                ["os"] = RuntimeInformation.OSDescription,
                ["runtime"] = RuntimeInformation.FrameworkDescription,
                ["libTorchSharp"] = info.LibTorchSharpPath,
                ["libTorchFolder"] = info.LibTorchFolder,
                ["patched"] = info.Patched,
                ["weakenedVersions"] = new JsonArray(info.WeakenedVersions.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray()),
                ["torchThreads"] = torch.get_num_threads(),
                ["tensorCheck"] = "ok",
            };
            if (result.GetValue(json))
            {
                output.Out.WriteLine(findings.ToJsonString(ToolkitJson.Indented));
                return;
            }
            output.Out.WriteLine($"OS             {findings["os"]}");
            output.Out.WriteLine($".NET           {findings["runtime"]}");
            output.Out.WriteLine($"LibTorchSharp  {info.LibTorchSharpPath}");
            output.Out.WriteLine($"libtorch       {info.LibTorchFolder}");
            output.Out.WriteLine(info.Patched
                ? $"Patched        yes: marked {string.Join(", ", info.WeakenedVersions)} weak (the system libstdc++ lacks it; only link-time markers use it)"
                : "Patched        no (the system libstdc++ satisfies LibTorchSharp as shipped)");
            output.Out.WriteLine($"Torch threads  {findings["torchThreads"]}");
            output.Out.WriteLine("Tensor check   ok (1+...+10 = 55)");
        })));
        return command;
    }
}
