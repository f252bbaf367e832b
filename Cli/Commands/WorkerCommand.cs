using System.Diagnostics;

namespace MlToolkit.Cli.Commands;

/// <summary>How a command starts this same CLI as a child process (a trial worker), whether it runs as an app or inside a test host.</summary>
internal static class WorkerCommand
{
    /// <summary>
    /// This process's own launcher with ARGS when it is the <c>mltoolkit</c> app host; otherwise
    /// <c>dotnet mltoolkit.dll ARGS</c> with the dotnet host that runs this process (a test host, <c>dotnet mltoolkit.dll</c>).
    /// </summary>
    public static ProcessStartInfo Start(IEnumerable<string> arguments)
    {
        var library = typeof(CliApplication).Assembly.Location;
        var current = Environment.ProcessPath;
        var appHost = current is not null && Path.GetFileNameWithoutExtension(current) == Path.GetFileNameWithoutExtension(library);
        var start = new ProcessStartInfo(appHost ? current! : DotnetHost());
        if (!appHost)
            start.ArgumentList.Add(library);
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
