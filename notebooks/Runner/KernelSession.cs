using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace MlToolkit.NotebookRunner;

/// <summary>
/// A Polyglot (dotnet-interactive) kernel in a child process, driven the way VS Code's Polyglot extension drives it:
/// one JSON command per line on its standard input (<c>stdio</c> mode), JSON events back on its standard output.
/// The kernel is the tool pinned in the repository's tool manifest (<c>dotnet tool restore</c> installs it).
/// </summary>
public sealed class KernelSession : IDisposable
{
    private readonly Process _process;
    private readonly BlockingCollection<KernelEvent> _events = new();
    private readonly StringBuilder _stderr = new();
    private int _token;
    private int _executionCount;

    /// <summary>
    /// Starts a C# kernel whose current directory is <paramref name="workingDirectory"/>; <paramref name="toolRoot"/>
    /// holds the tool manifest; <paramref name="tempFolder"/>, when given, is the kernel's temporary folder (TMPDIR).
    /// </summary>
    public KernelSession(string toolRoot, string workingDirectory, string? tempFolder = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = toolRoot,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var argument in new[] { "tool", "run", "dotnet-interactive", "--", "stdio", "--default-kernel", "csharp", "--working-dir", workingDirectory })
            start.ArgumentList.Add(argument);
        start.Environment["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        if (tempFolder is not null)
            start.Environment["TMPDIR"] = tempFolder;
        _process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        _process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is null)
                _events.CompleteAdding();
            else if (KernelEvent.Parse(line.Data) is { } parsed)
                _events.Add(parsed);
        };
        _process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is not null)
                lock (_stderr)
                    _stderr.AppendLine(line.Data);
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>What the kernel wrote on its standard error so far (start-up failures land there).</summary>
    public string StandardError
    {
        get
        {
            lock (_stderr)
                return _stderr.ToString();
        }
    }

    /// <summary>Runs <paramref name="code"/> as one cell and returns its outputs; a cell still running after <paramref name="timeout"/> fails.</summary>
    public CellRun Submit(string code, TimeSpan timeout)
    {
        var token = (++_token).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var command = new JsonObject
        {
            ["token"] = token,
            ["commandType"] = "SubmitCode",
            ["command"] = new JsonObject { ["code"] = code, ["targetKernelName"] = "csharp" },
        };
        _process.StandardInput.WriteLine(command.ToJsonString());
        _process.StandardInput.Flush();
        var outputs = new CellOutputs(++_executionCount);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var left = timeout - deadline.Elapsed;
            if (left <= TimeSpan.Zero || !_events.TryTake(out var next, left))
                return outputs.Failed(_events.IsCompleted
                    ? $"The kernel exited (code {ExitCode()}) while the cell ran. Its standard error:\n{StandardError}"
                    : $"The cell was still running after {timeout.TotalSeconds:0} s.");
            if (!next.BelongsTo(token))
                continue;
            if (next.Ends(token))
                return next.Type == "CommandSucceeded" ? outputs.Succeeded() : outputs.Failed(next.Body["message"]?.GetValue<string>() ?? "(no message)");
            outputs.Add(next);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.StandardInput.Close();
                if (!_process.WaitForExit(5000))
                    _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
        _events.Dispose();
    }

    private string ExitCode() => _process.WaitForExit(2000) ? _process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) : "none yet";
}
