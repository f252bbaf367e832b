using System.Diagnostics;
using System.Globalization;
using MlToolkit.Tests.Support;

namespace MlToolkit.Tests.Cli;

/// <summary>
/// Ctrl+C during <c>mltoolkit automl</c>. It asserts a real-time bound ("within seconds"), so it runs alone: beside the
/// rest of the suite on 2 cores the interrupted process once needed more than 20 s to stop (2 s alone).
/// </summary>
[Collection(RealTimeCollection.Name)]
public sealed class AutomlInterruptTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [LinuxFact]
    public void Ctrl_c_stops_within_seconds_keeps_finished_trials_and_exits_130()
    {
        var db = _folder.File("interrupted.db");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = _folder.Path, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "mltoolkit.dll"), "automl", "--sample", "iris", "--cv", "2", "--train-time", "300", "--trainers", "lbfgs,lightgbm", "--storage", db, "-o", _folder.File("i") })
            start.ArgumentList.Add(arg);
        using var child = Process.Start(start)!;
        var stderr = new System.Text.StringBuilder();
        child.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        child.BeginOutputReadLine();
        child.BeginErrorReadLine();
        var waited = Stopwatch.StartNew();
        while (ExperimentDatabase.Finished(db) < 3 && waited.Elapsed < TimeSpan.FromMinutes(2) && !child.HasExited)
            Thread.Sleep(50);
        Assert.False(child.HasExited, "the experiment ended before it could be interrupted");

        using (var interrupt = Process.Start("kill", new[] { "-INT", child.Id.ToString(CultureInfo.InvariantCulture) }))
            interrupt.WaitForExit();
        // One-sided and generous ("within seconds"): a 300-s budget would otherwise keep it running for minutes.
        Assert.True(child.WaitForExit(TimeSpan.FromSeconds(20)), "still running 20 s after Ctrl+C");
        child.WaitForExit();
        Assert.Equal(130, child.ExitCode);
        var finished = ExperimentDatabase.Finished(db);
        Assert.True(finished >= 3, $"{finished} finished trials kept");
        Assert.Contains($"cancelled: {finished} finished trials are saved in {db}; run the same command again to resume.", stderr.ToString());
        Assert.Equal(ExperimentDatabase.IntegrityOk, ExperimentDatabase.Scalar(db, "PRAGMA integrity_check"));
    }
}

/// <summary>Tests that measure real time: run after the parallel ones, one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RealTimeCollection
{
    public const string Name = "Real time";
}
