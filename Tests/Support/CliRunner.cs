using MlToolkit.Cli;

namespace MlToolkit.Tests.Support;

/// <summary>Runs the mltoolkit command line in-process or as a real child process.</summary>
public static class CliRunner
{
    public static ProcessRunner.Result InProcess(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = CliApplication.Run(args, stdout, stderr);
        return new ProcessRunner.Result(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs <c>dotnet mltoolkit.dll ARGS</c> in <paramref name="workingDirectory"/>, as a user would.</summary>
    public static ProcessRunner.Result AsProcess(string workingDirectory, params string[] args) =>
        ProcessRunner.Run("dotnet", args.Prepend(Path.Combine(AppContext.BaseDirectory, "mltoolkit.dll")), workingDirectory, TimeSpan.FromMinutes(3));
}
