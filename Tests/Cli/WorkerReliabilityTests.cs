using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using MlToolkit.Experiments.Storage;
using MlToolkit.Experiments.Tuning;
using MlToolkit.Experiments.Tuning.SearchSpaces;
using MlToolkit.Cli;
using MlToolkit.Tests.Support;

namespace MlToolkit.Tests.Cli;

/// <summary>
/// `mltoolkit automl` as users run it, as real processes: several on one study, trials in worker processes that are
/// killed at a memory cap or a deadline, or by someone else, and parallel runs that repeat exactly. The runs leave out
/// the ensemble and the explanations, which these tests do not check (a three-MLP blend's refit alone took 14 s).
/// </summary>
public sealed class WorkerReliabilityTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Two_processes_on_one_sqlite_study_share_its_budget_and_run_every_trial_once() =>
        TwoProcessesShareOneStudy(_folder.File("shared.db"));

    [PostgresFact]
    public void Two_processes_on_one_postgresql_study_share_its_budget_and_run_every_trial_once() =>
        TwoProcessesShareOneStudy(PostgresServer.ConnectionString);

    private void TwoProcessesShareOneStudy(string storage)
    {
        var study = "shared-" + Guid.NewGuid().ToString("N")[..8];
        var runs = Enumerable.Range(0, 2).Select(i => CliProcess.Start(_folder.Path, Automl("--sample", "iris", "--cv", "2", "--max-trials", "14",
            "--trainers", "lbfgs,sdca,lightgbm", "--storage", storage, "--study", study, "-o", _folder.File($"out{i}"), "--json"))).ToList();
        var results = runs.Select(r => r.Finish(TimeSpan.FromMinutes(3))).ToList();
        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.Error));
        using var store = AutoMlStore(storage);
        var trials = store.ReadStudy(study).Trials;
        // Exactly the budget between them, every trial complete, none run twice (no failed or retried trial).
        Assert.Equal(14, trials.Count);
        Assert.All(trials, t => Assert.Equal((TrialState.Complete, null), (t.State, t.RetryOf)));
        Assert.Contains("\"resumedTrials\"", results[0].Out);
        if (storage.Contains("://", StringComparison.Ordinal) && Environment.GetEnvironmentVariable("PGPASSWORD") is { Length: > 0 } password)
            Assert.DoesNotContain(password, results[0].Out + results[1].Out + results[0].Error + results[1].Error);
    }

    private static SqlExperimentStore AutoMlStore(string storage) =>
        PostgresConnectionString.IsPostgres(storage) ? new PostgresExperimentStore(storage) : SqliteExperimentStore.OpenReadOnly(storage);

    [LinuxFact]
    public void A_writer_killed_with_kill_9_has_its_running_trial_failed_and_retried_once_by_the_other_writer()
    {
        var db = _folder.File("two-writers.db");
        // Without strong starts the search begins from the small 10-epoch MLP: the test is about the kill, not the search.
        string[] Args(string output) => Automl("--trainers", "mlp", "--cv", "2", "--max-trials", "8", "--strong-starts", "false", "--storage", db, "-o", _folder.File(output), "--json");
        var doomed = CliProcess.Start(_folder.Path, Args("a"));
        // Kill the first writer (not its worker: that one notices its input close and leaves) while it holds a trial.
        // The second starts once the first holds one: started together, a loaded machine could let the second run the
        // whole budget before the first had its turn (the likely cause of the one failure seen, in a full local run).
        var owner = $"{Environment.MachineName}:{doomed.Process.Id}:";
        var held = WaitFor(() => RunningTrialOf(db, owner), TimeSpan.FromMinutes(2));
        Assert.True(held is not null, "the first writer never held a running trial"
            + (doomed.Process.HasExited ? $" (it ended with exit code {doomed.Process.ExitCode}: {doomed.Error} {doomed.Output})" : " (it is still running)"));
        var survivor = CliProcess.Start(_folder.Path, Args("b"));
        using (var kill = Process.Start("kill", new[] { "-9", doomed.Process.Id.ToString(CultureInfo.InvariantCulture) }))
            kill.WaitForExit();
        doomed.Process.WaitForExit();
        var result = survivor.Finish(TimeSpan.FromMinutes(3));
        Assert.True(result.ExitCode == 0, result.Error);
        using var store = SqliteExperimentStore.OpenReadOnly(db);
        var trials = store.ReadStudy("default").Trials;
        var lost = trials.Single(t => t.Number == held);
        Assert.Equal((TrialState.Failed, "The process ended while this trial was running."), (lost.State, lost.Error));
        var retry = Assert.Single(trials, t => t.RetryOf == held);
        Assert.Equal((TrialState.Complete, lost.Configuration), (retry.State, retry.Configuration));
        // The failed trial gave its place in the budget to its retry: 8 counted trials, all complete.
        Assert.Equal(8, trials.Count(t => t.Number != held));
        Assert.All(trials.Where(t => t.Number != held), t => Assert.Equal(TrialState.Complete, t.State));
    }

    private static int? RunningTrialOf(string db, string ownerPrefix)
    {
        if (!File.Exists(db))
            return null;
        try
        {
            using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT number FROM trials WHERE state = 0 AND owner LIKE $owner || '%' AND intermediate <> '{}' LIMIT 1";
            command.Parameters.AddWithValue("$owner", ownerPrefix);
            return command.ExecuteScalar() is long number ? (int)number : null;
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            return null;
        }
    }

    /// <summary>Polls <paramref name="probe"/> (a database read) until it has an answer or the patience runs out.</summary>
    private static int? WaitFor(Func<int?> probe, TimeSpan patience)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < patience)
        {
            if (probe() is { } found)
                return found;
            Thread.Sleep(50);
        }
        return null;
    }

    [Fact]
    public void A_trial_over_the_memory_cap_is_killed_and_the_next_trials_run_in_a_new_worker()
    {
        // Measured: an MLP trial's worker (libtorch loaded) peaks at 209-248 MiB, an L-BFGS trial's fresh worker at 74-80 MiB.
        var run = CliProcess.Run(_folder.Path, Automl("--trainers", "mlp,lbfgs", "--strong-starts", "false", "--max-trials", "3", "--cv", "2", "--memory-limit", "150", "-o", _folder.File("m"), "--json"));
        Assert.True(run.ExitCode == 0, run.Error + TrialErrors(_folder.File("m")));
        var trials = TrialsJson(_folder.File("m"));
        Assert.Equal("mlp", (string?)trials[0]!["parameters"]!["trainer"]);
        Assert.Matches(@"^Its worker process used \d+ MiB, over the memory cap of 150 MiB, and was killed\.$", (string?)trials[0]!["error"]);
        Assert.Equal(new[] { "Complete", "Complete" }, trials.Skip(1).Select(t => (string?)t!["state"]));
    }

    [Fact]
    public void A_trial_running_past_the_budget_is_stopped_and_the_run_ends_within_the_budget_plus_3_seconds()
    {
        // 200,000 rows × 30 columns: one LightGbm trial takes 7.5 s per fold here, 5 folds far longer than the 10-s budget
        // (of which reading the data takes 1.5 s here, more on a loaded machine).
        var data = _folder.File("wide.csv");
        WriteSyntheticBinary(data, rows: 200_000, columns: 30);
        var run = CliProcess.Run(_folder.Path, Automl("--dataset", data, "--label-col", "label", "--trainers", "lightgbm", "--cv", "5", "--train-time", "10", "-o", _folder.File("d"), "--json"));
        Assert.True(run.ExitCode == ExitCodes.NoModel, run.Error);
        var json = JsonNode.Parse(run.Out)!;
        var trials = TrialsJson(_folder.File("d"));
        Assert.Equal("Cancelled", (string?)trials[0]!["state"]);
        Assert.StartsWith("Stopped at the experiment's time budget.", (string?)trials[0]!["error"]);
        var total = (double)json["totalSeconds"]!;
        Assert.True(total <= 10 + 3, $"the run took {total:0.0} s for a 10-s budget");
    }

    [LinuxFact]
    public void A_worker_killed_with_kill_9_costs_only_its_trial()
    {
        var run = CliProcess.Start(_folder.Path, Automl("--trainers", "mlp", "--max-trials", "3", "--cv", "2", "--verbosity", "diagnostic", "-o", _folder.File("k")));
        // Once the first trial reports an epoch, its worker is busy training: kill it as the OOM killer would.
        Assert.True(run.WaitForLine(line => line.Contains("trial   0  mlp        epoch 1", StringComparison.Ordinal), TimeSpan.FromMinutes(2)), run.Output);
        var worker = Children(run.Process.Id).Single(pid => File.ReadAllText($"/proc/{pid}/cmdline").Contains("--worker", StringComparison.Ordinal));
        using (var kill = Process.Start("kill", new[] { "-9", worker.ToString(CultureInfo.InvariantCulture) }))
            kill.WaitForExit();
        var result = run.Finish(TimeSpan.FromMinutes(3));
        Assert.True(result.ExitCode == 0, result.Error);
        var trials = TrialsJson(_folder.File("k"));
        Assert.Equal("Failed", (string?)trials[0]!["state"]);
        Assert.StartsWith($"WorkerExitedException: The worker process (pid {worker}) was killed by signal 9", (string?)trials[0]!["error"]);
        Assert.Equal(new[] { "Complete", "Complete" }, trials.Skip(1).Select(t => (string?)t!["state"]));
    }

    [Fact]
    public void Parallel_runs_with_a_seed_and_a_trial_budget_repeat_exactly()
    {
        string History(string output)
        {
            var run = CliProcess.Run(_folder.Path, Automl("--sample", "wine", "--trainers", "mlp,lbfgs,lightgbm", "--max-trials", "8", "--parallel", "2", "--cv", "2", "--seed", "5", "-o", output, "--json"));
            Assert.True(run.ExitCode == 0, run.Error);
            return string.Join("\n", TrialsJson(output).Select(t => $"{t!["number"]} {t["parameters"]!.ToJsonString()} {(double)t["value"]!:R}"));
        }
        var first = History(_folder.File("p1"));
        Assert.Equal(first, History(_folder.File("p2")));
        Assert.Equal(8, first.Split('\n').Length);
    }

    /// <summary>`mltoolkit automl` with <paramref name="args"/>, without the ensemble and explanations (see the class summary).</summary>
    private static string[] Automl(params string[] args) => ["automl", .. args, "--explain", "false", "--ensemble", "false"];

    private static JsonArray TrialsJson(string output) => JsonNode.Parse(File.ReadAllText(Path.Combine(output, "trials.json")))!.AsArray();

    /// <summary>Each trial's state and error, for a failure message (the run's own message only says none completed).</summary>
    private static string TrialErrors(string output) => File.Exists(Path.Combine(output, "trials.json"))
        ? string.Concat(TrialsJson(output).Select(t => $"{Environment.NewLine}trial {t!["number"]} ({t["parameters"]?["trainer"]}): {t["state"]} {t["error"]}"))
        : "";

    private static IEnumerable<int> Children(int parent) => Directory.EnumerateDirectories("/proc")
        .Select(Path.GetFileName).Where(name => name!.All(char.IsAsciiDigit)).Select(name => int.Parse(name!, CultureInfo.InvariantCulture))
        .Where(pid =>
        {
            try
            {
                // The fourth field of /proc/PID/stat is the parent's pid (the second, the name, is in parentheses).
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture) == parent;
            }
            catch (IOException)
            {
                return false;
            }
        }).ToList();

    private static void WriteSyntheticBinary(string path, int rows, int columns)
    {
        var random = new Random(7);
        using var writer = new StreamWriter(path);
        writer.WriteLine(string.Join(",", Enumerable.Range(0, columns).Select(i => $"f{i}")) + ",label");
        var line = new StringBuilder();
        var x = new double[columns];
        for (var r = 0; r < rows; r++)
        {
            line.Clear();
            for (var c = 0; c < columns; c++)
            {
                x[c] = random.NextDouble() * 2 - 1;
                line.Append(x[c].ToString("0.0000", CultureInfo.InvariantCulture)).Append(',');
            }
            line.Append(x[0] + x[1] * x[2] + 0.3 * random.NextDouble() > 0 ? '1' : '0');
            writer.WriteLine(line);
        }
    }
}
