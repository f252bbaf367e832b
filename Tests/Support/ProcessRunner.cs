using System.Diagnostics;

namespace MlToolkit.Tests.Support;

/// <summary>Runs a child process to completion and captures its output.</summary>
public static class ProcessRunner
{
    public sealed record Result(int ExitCode, string Out, string Error);

    public static Result Run(string fileName, IEnumerable<string> args, string workingDirectory, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = new Process { StartInfo = start };
        var stdout = new System.Text.StringBuilder();
        var stderr = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', args)} did not finish in {timeout}");
        }
        process.WaitForExit();
        return new Result(process.ExitCode, stdout.ToString(), stderr.ToString());
    }
}
