using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using MlToolkit.Experiments.Tuning;

namespace MlToolkit.Bench;

/// <summary>
/// `mltoolkit automl` scored with an outer loop, as the benchmark suite's peers are: for each fold k of
/// <c>NAME.folds.json</c>, the CLI sees only the other four folds (written as a CSV file, as a user would pass it), runs
/// with the time budget (its own cross-validation, refit and ensemble inside it), and its saved model is scored on
/// fold k by <c>--test-dataset</c>. Prints one line per fold and the mean per task, as TSV.
/// With replays (NAME=CLI), each fold's stored study is then run again by each of those builds of the CLI with a
/// <c>--max-trials</c> that its trials already reach (see <see cref="ReplayCap"/>) and no time limit: no new trial runs, so
/// the builds differ only in the final model they select and refit from identical trials; each is scored on fold k too
/// (a last column names the run). A replay may add flags of its own to the same build (e.g. a final-model rule).
/// </summary>
internal static class OuterLoop
{
    public static int Run(string benchmarkFolder, IReadOnlyList<string> tasks, double trainTime, string cli, string? extraArguments,
        IReadOnlyList<(string Name, string Cli, string Arguments)> replays)
    {
        cli = Path.GetFullPath(cli);
        replays = replays.Select(r => (r.Name, Path.GetFullPath(r.Cli), r.Arguments)).ToList();
        var variant = replays.Count > 0 ? "\tvariant" : "";
        Console.WriteLine($"task\tfold\tmetric\ttest\tautoml_seconds\tprocess_seconds\ttrials\tbest_trainer\tensemble{variant}");
        foreach (var task in tasks)
        {
            // "search" first and always, so that a task whose folds all failed still gets its mean row (NaN, 0 of 5 folds).
            var scores = new Dictionary<string, List<double>> { ["search"] = new() };
            var folds = JsonNode.Parse(File.ReadAllText(Path.Combine(benchmarkFolder, task + ".folds.json")))!;
            var (header, rows) = ReadCsv(benchmarkFolder, task);
            var testRows = folds["test_rows"]!.AsArray().Select(f => f!.AsArray().Select(r => (int)r!).ToHashSet()).ToList();
            var regression = (string?)folds["task"] == "regression";
            var label = (string)folds["label"]!;
            var metric = regression ? "r_squared" : "accuracy";
            for (var k = 0; k < testRows.Count; k++)
            {
                var work = Directory.CreateTempSubdirectory($"outer-{task}-{k}-");
                try
                {
                    var train = Path.Combine(work.FullName, "train.csv");
                    var test = Path.Combine(work.FullName, "test.csv");
                    File.WriteAllLines(train, rows.Where((_, i) => !testRows[k].Contains(i)).Prepend(header));
                    File.WriteAllLines(test, rows.Where((_, i) => testRows[k].Contains(i)).Prepend(header));
                    JsonNode result;
                    double seconds;
                    try
                    {
                        (result, seconds) = RunCli(cli, work.FullName, train, test, label, regression, ["--train-time", trainTime.ToString(CultureInfo.InvariantCulture),
                            "-o", Path.Combine(work.FullName, "out")], extraArguments);
                    }
                    catch (InvalidOperationException error)
                    {
                        // A fold without a model scores nothing: say so in the table and go on with the next fold.
                        Console.WriteLine($"{task}\t{k}\t{metric}\tfailed\t\t\t\t\t{error.Message.Split('\n')[0]}");
                        continue;
                    }
                    Report(task, k, metric, result, seconds, "search", replays.Count > 0, scores);
                    var storage = (string)result["storage"]!;
                    var cap = replays.Count > 0 ? ReplayCap(storage) : 0;
                    foreach (var (name, replayCli, replayArguments) in replays)
                    {
                        var (replayed, replaySeconds) = RunCli(replayCli, work.FullName, train, test, label, regression, ["--storage", storage,
                            "--max-trials", cap.ToString(CultureInfo.InvariantCulture), "-o", Path.Combine(work.FullName, name)], $"{extraArguments} {replayArguments}");
                        if ((int)replayed["trials"]! != (int)replayed["resumedTrials"]!)
                            throw new InvalidOperationException($"The replay {name} of {task} fold {k} ran new trials; its final model would not come from the same trials.");
                        Report(task, k, metric, replayed, replaySeconds, name, named: true, scores);
                    }
                }
                finally
                {
                    work.Delete(recursive: true);
                }
            }
            foreach (var (name, values) in scores)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{task}\tmean\t{metric}\t{(values.Count > 0 ? values.Average() : double.NaN):0.0000}\t\t\t{values.Count} of {testRows.Count} folds{(replays.Count > 0 ? "\t\t\t" + name : "")}"));
        }
        return 0;
    }

    /// <summary>Prints one fold's row of <paramref name="run"/> (its name in a last column when <paramref name="named"/>) and keeps its score.</summary>
    private static void Report(string task, int fold, string metric, JsonNode result, double seconds, string run, bool named, Dictionary<string, List<double>> scores)
    {
        var score = (double)result["test"]!["metrics"]![metric]!;
        if (!scores.TryGetValue(run, out var values))
            scores[run] = values = new List<double>();
        values.Add(score);
        var ensemble = result["ensemble"] is JsonObject e ? string.Join("+", e["members"]!.AsArray().Select(m => (string?)m!["trial"]?.ToString()))
            : $"- ({(string?)result["ensembleSkipped"] ?? "off"})";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{task}\t{fold}\t{metric}\t{score:0.0000}\t{(double)result["totalSeconds"]!:0.0}\t{seconds:0.0}\t{(int)result["trials"]!}\t{(string?)result["best"]?["trainer"]}\t{ensemble}{(named ? "\t" + run : "")}"));
    }

    private static (JsonNode Result, double Seconds) RunCli(string cli, string folder, string train, string test, string label, bool regression,
        IEnumerable<string> runArguments, string? extra)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        // Without explanations unless --args asks for them: they do not change the model, and the figures before they fit
        // the budget (session 29) were taken without them.
        var explain = (extra ?? "").Contains("--explain", StringComparison.Ordinal) ? Array.Empty<string>() : ["--explain", "false"];
        foreach (var argument in new[] { cli, "automl", "--dataset", train, "--label-col", label, "--test-dataset", test, "--json" }.Concat(explain).Concat(runArguments))
            start.ArgumentList.Add(argument);
        if (regression)
        {
            start.ArgumentList.Add("--task");
            start.ArgumentList.Add("regression");
        }
        foreach (var argument in (extra ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
            start.ArgumentList.Add(argument);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"mltoolkit automl failed ({process.ExitCode}) on {train}: {error.Result}");
        return (JsonNode.Parse(output)!, clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// Readies the SQLite study at <paramref name="storage"/> for replays and returns the <c>--max-trials</c> that runs
    /// none: the trials the deadline left waiting (strong starts never claimed), which a resumed run would claim whatever
    /// its cap, are deleted, and the cap is the trials that count towards it (all but the cancelled ones, whose retries
    /// it then leaves unqueued). bench/ensemble_replay.py, before this, let the first build replayed run a waiting trial.
    /// </summary>
    private static long ReplayCap(string storage)
    {
        using var connection = new SqliteConnection($"Data Source={storage};Pooling=False");
        connection.Open();
        using var delete = connection.CreateCommand();
        delete.CommandText = $"DELETE FROM trials WHERE state = {(int)TrialState.Waiting}";
        delete.ExecuteNonQuery();
        using var count = connection.CreateCommand();
        count.CommandText = $"SELECT COUNT(*) FROM trials WHERE state <> {(int)TrialState.Cancelled}";
        return (long)count.ExecuteScalar()!;
    }

    /// <summary>The header and data lines of NAME.csv.gz (or NAME.csv), as text: rows are copied to the fold files unchanged.</summary>
    private static (string Header, List<string> Rows) ReadCsv(string folder, string task)
    {
        var gz = Path.Combine(folder, task + ".csv.gz");
        using var stream = File.Exists(gz) ? (Stream)new GZipStream(File.OpenRead(gz), CompressionMode.Decompress) : File.OpenRead(Path.Combine(folder, task + ".csv"));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var header = reader.ReadLine()!;
        var rows = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
                rows.Add(line);
        }
        return (header, rows);
    }
}
