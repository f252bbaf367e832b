using System.Diagnostics;
using System.Text;

namespace MlToolkit.Tests.Support;

/// <summary>The CLI as a child process whose output is read as it comes.</summary>
public sealed class CliProcess
{
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _error = new();

    private CliProcess(Process process) => Process = process;

    public Process Process { get; }

    /// <summary>Standard error so far.</summary>
    public string Error
    {
        get
        {
            lock (_error)
                return _error.ToString();
        }
    }

    /// <summary>Standard output so far.</summary>
    public string Output
    {
        get
        {
            lock (_out)
                return _out.ToString();
        }
    }

    public static ProcessRunner.Result Run(string folder, params string[] args) => Start(folder, args).Finish(TimeSpan.FromMinutes(3));

    public static CliProcess Start(string folder, params string[] args)
    {
        // A test run started in the background inherits an ignored SIGINT, and .NET leaves an ignored SIGINT alone: the
        // child gets the default handling back so that the Ctrl+C tests test the CLI, not how the suite was launched.
        var start = new ProcessStartInfo(OperatingSystem.IsLinux() ? "env" : "dotnet") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        if (OperatingSystem.IsLinux())
        {
            start.ArgumentList.Add("--default-signal=INT");
            start.ArgumentList.Add("dotnet");
        }
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "mltoolkit.dll"));
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        var cli = new CliProcess(Process.Start(start)!);
        cli.Process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (cli._out) { cli._out.AppendLine(e.Data); Monitor.PulseAll(cli._out); } };
        cli.Process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (cli._error) cli._error.AppendLine(e.Data); };
        cli.Process.BeginOutputReadLine();
        cli.Process.BeginErrorReadLine();
        return cli;
    }

    /// <summary>Waits (on the output's arrival, not a clock window) until a line matches; false if the process ended or the patience ran out.</summary>
    public bool WaitForLine(Func<string, bool> match, TimeSpan patience)
    {
        var until = DateTime.UtcNow + patience;
        lock (_out)
        {
            while (!_out.ToString().Split('\n').Any(match))
            {
                if (Process.HasExited || DateTime.UtcNow > until)
                    return false;
                Monitor.Wait(_out, TimeSpan.FromMilliseconds(200));
            }
            return true;
        }
    }

    /// <summary>Waits for the exit (killing the process tree if it outlasts <paramref name="patience"/>) and returns what it printed.</summary>
    public ProcessRunner.Result Finish(TimeSpan patience)
    {
        if (!Process.WaitForExit(patience))
        {
            Process.Kill(entireProcessTree: true);
            throw new TimeoutException($"mltoolkit did not finish in {patience}: {Output}");
        }
        Process.WaitForExit();
        lock (_error)
            return new ProcessRunner.Result(Process.ExitCode, Output, _error.ToString());
    }
}
