using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MlToolkit.Bench;

/// <summary>
/// `mltoolkit automl` scored with an outer loop, as the benchmark suite's peers are: for each fold k of
/// <c>NAME.folds.json</c>, the CLI sees only the other four folds (written as a CSV file, as a user would pass it), runs
/// with the time budget (its own cross-validation, refit and ensemble inside it), and its saved model is scored on
/// fold k by <c>--test-dataset</c>. Prints one line per fold and the mean per task, as TSV.
/// </summary>
internal static class OuterLoop
{
    public static int Run(string benchmarkFolder, IReadOnlyList<string> tasks, double trainTime, string cli, string? extraArguments)
    {
        cli = Path.GetFullPath(cli);
        Console.WriteLine("task\tfold\tmetric\ttest\tautoml_seconds\tprocess_seconds\ttrials\tbest_trainer\tensemble");
        foreach (var task in tasks)
        {
            var scores = new List<double>();
            var folds = JsonNode.Parse(File.ReadAllText(Path.Combine(benchmarkFolder, task + ".folds.json")))!;
            var (header, rows) = ReadCsv(benchmarkFolder, task);
            var testRows = folds["test_rows"]!.AsArray().Select(f => f!.AsArray().Select(r => (int)r!).ToHashSet()).ToList();
            var regression = (string?)folds["task"] == "regression";
            var label = (string)folds["label"]!;
            for (var k = 0; k < testRows.Count; k++)
            {
                var work = Directory.CreateTempSubdirectory($"outer-{task}-{k}-");
                try
                {
                    var train = Path.Combine(work.FullName, "train.csv");
                    var test = Path.Combine(work.FullName, "test.csv");
                    File.WriteAllLines(train, rows.Where((_, i) => !testRows[k].Contains(i)).Prepend(header));
                    File.WriteAllLines(test, rows.Where((_, i) => testRows[k].Contains(i)).Prepend(header));
                    var metric = regression ? "r_squared" : "accuracy";
                    JsonNode result;
                    double seconds;
                    try
                    {
                        (result, seconds) = RunCli(cli, work.FullName, train, test, label, regression, trainTime, extraArguments);
                    }
                    catch (InvalidOperationException error)
                    {
                        // A fold without a model scores nothing: say so in the table and go on with the next fold.
                        Console.WriteLine($"{task}\t{k}\t{metric}\tfailed\t\t\t\t\t{error.Message.Split('\n')[0]}");
                        continue;
                    }
                    var score = (double)result["test"]!["metrics"]![metric]!;
                    scores.Add(score);
                    var ensemble = result["ensemble"] is JsonObject e ? string.Join("+", e["members"]!.AsArray().Select(m => (string?)m!["trial"]?.ToString()))
                        : $"- ({(string?)result["ensembleSkipped"] ?? "off"})";
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{task}\t{k}\t{metric}\t{score:0.0000}\t{(double)result["totalSeconds"]!:0.0}\t{seconds:0.0}\t{(int)result["trials"]!}\t{(string?)result["best"]?["trainer"]}\t{ensemble}"));
                }
                finally
                {
                    work.Delete(recursive: true);
                }
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{task}\tmean\t{(regression ? "r_squared" : "accuracy")}\t{(scores.Count > 0 ? scores.Average() : double.NaN):0.0000}\t\t\t{scores.Count} of {testRows.Count} folds"));
        }
        return 0;
    }

    private static (JsonNode Result, double Seconds) RunCli(string cli, string folder, string train, string test, string label, bool regression, double trainTime, string? extra)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { cli, "automl", "--dataset", train, "--label-col", label, "--test-dataset", test, "--train-time", trainTime.ToString(CultureInfo.InvariantCulture),
            "-o", Path.Combine(folder, "out"), "--json", "--explain", "false" })
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
