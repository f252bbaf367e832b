using System.Diagnostics;

namespace MlToolkit.Cli.Commands;

/// <summary>How a command starts this same CLI as a child process (a trial worker), whether it runs as an app or inside a test host.</summary>
internal static class WorkerCommand
{
    /// <summary><c>dotnet mltoolkit.dll ARGS</c>, with the dotnet host that runs this process.</summary>
    public static ProcessStartInfo Start(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(DotnetHost());
        start.ArgumentList.Add(typeof(CliApplication).Assembly.Location);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        // Progress bars and colours are the parent's business.
        start.Environment["NO_COLOR"] = "1";
        return start;
    }

    private static string DotnetHost()
    {
        var current = Environment.ProcessPath;
        if (current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet")
            return current;
        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
    }
}
