using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using MlToolkit.Cli.Output;
using MlToolkit.Data.IO;
using MlToolkit.Experiments.AutoMl;
using MlToolkit.Experiments.Candidates;
using MlToolkit.Experiments.Reporting;
using MlToolkit.Experiments.Results;
using MlToolkit.Experiments.Running;
using MlToolkit.Experiments.Tuning;
using MlToolkit.Experiments.Tuning.Pruners;
using MlToolkit.Experiments.Tuning.Tuners;
using Microsoft.ML;

namespace MlToolkit.Cli.Commands;

/// <summary>
/// <c>mltoolkit automl</c>: searches trainers and hyperparameters under a budget, persisting every trial to SQLite
/// (re-running with the same storage resumes), then refits the best and writes the model, leaderboard and history.
/// </summary>
internal static class AutomlCommand
{
    public static Command Create(CliOutput output)
    {
        var data = new DatasetOptions();
        var label = new Option<string?>("--label-col") { Description = "Column to predict. Required with --dataset; samples know theirs." };
        var task = new Option<string?>("--task") { Description = "binary, multiclass or regression. Default: inferred from the label." };
        task.AcceptOnlyFromAmong("binary", "multiclass", "regression");
        var trainTime = new Option<double?>("--train-time") { Description = "Time budget in seconds (search and refit); running trials are stopped at the deadline. Default 60 unless --max-trials is given." };
        var maxTrials = new Option<int?>("--max-trials") { Description = "Trials to finish, counting those of a resumed experiment." };
        var tuner = new Option<string>("--tuner") { Description = "tpe, cfo (cost-frugal, starts cheap), random or grid.", DefaultValueFactory = _ => "cfo" };
        tuner.AcceptOnlyFromAmong("tpe", "cfo", "random", "grid");
        var folds = new Option<int>("--cv") { Description = "Cross-validation folds per trial (stratified for classification); 1 = a 20% holdout.", DefaultValueFactory = _ => 5 };
        var trainers = new Option<string[]>("--trainers") { Description = $"Trainers to sweep (comma-separated): {string.Join(", ", CandidateCatalog.All.Select(c => c.Name))}. Default: the classic ones and mlp.", AllowMultipleArgumentsPerToken = true };
        var metric = new Option<string?>("--metric") { Description = "Metric to optimize, e.g. accuracy, macro_accuracy, log_loss, auc, f1, r_squared, rmse. Default: accuracy (R² for regression)." };
        var storage = new Option<string?>("--storage") { Description = "SQLite file of the experiment; re-running with it resumes. Default: <output>/experiment.db." };
        var study = new Option<string>("--study") { Description = "Study name inside the storage file.", DefaultValueFactory = _ => "default" };
        var outputFolder = new Option<string>("--output", "-o") { Description = "Folder for the best model, leaderboard and trial history.", DefaultValueFactory = _ => "mltoolkit-automl" };
        var parallel = new Option<int>("--parallel") { Description = "Trials run at once; threads are split between them.", DefaultValueFactory = _ => 1 };
        var threads = new Option<int?>("--threads") { Description = "Threads in all. Default: all cores." };
        var trialTimeout = new Option<double?>("--trial-timeout") { Description = "Seconds one trial may run before it is stopped and marked failed." };
        var memoryLimit = new Option<double?>("--memory-limit") { Description = "MiB the process may use while trials run; over it, the newest trial is stopped and marked failed." };
        var pruner = new Option<string>("--pruner") { Description = "Early stopping of torch trials from their per-epoch validation loss: none, median or asha.", DefaultValueFactory = _ => "none" };
        pruner.AcceptOnlyFromAmong("none", "median", "asha");
        var seed = new Option<int>("--seed") { Description = "Seed of the tuner, the folds and the trainers.", DefaultValueFactory = _ => 1 };
        var testDataset = new Option<string?>("--test-dataset") { Description = "Test file the refit best model is evaluated on." };
        var ignore = new Option<string[]>("--ignore-cols") { Description = "Columns not to use as features (comma-separated or repeated).", AllowMultipleArgumentsPerToken = true };
        var positive = new Option<string?>("--positive-class") { Description = "Binary classification: the label value scored as positive." };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON on standard output (no progress lines)." };
        var verbosity = VerbosityOption.Create("quiet (result only), normal (progress bars on a terminal, a line per trial otherwise) or diagnostic (every event).");

        var command = new Command("automl", "Search trainers and hyperparameters under a time or trial budget, then save the best model.");
        foreach (var option in data.All.Concat(new Option[] { label, task, trainTime, maxTrials, tuner, folds, trainers, metric, storage, study, outputFolder, parallel, threads, trialTimeout, memoryLimit, pruner, seed, testDataset, ignore, positive, json, verbosity }))
            command.Options.Add(option);

        command.SetAction((result, cancellationToken) =>
        {
            var exit = ExitCodes.Success;
            var code = TrainCommand.Run(output, CancellationToken.None, () =>
            {
                var dataset = data.Load(result);
                DatasetOptions.Warn(dataset, output.Error);
                var labelColumn = result.GetValue(label) ?? dataset.DefaultLabel ?? throw new ArgumentException("--label-col is required with --dataset.");
                var folder = Path.GetFullPath(result.GetValue(outputFolder)!);
                Directory.CreateDirectory(folder);
                var quiet = result.GetValue(json);
                var level = VerbosityOption.Parse(result.GetValue(verbosity));
                var live = !quiet && level == Verbosity.Normal ? output.Live : null;
                var seconds = result.GetValue(trainTime) ?? (result.GetValue(maxTrials) is null ? 60 : null);
                var ml = new MLContext(result.GetValue(seed));
                var experiment = ml.AutoMl().CreateExperiment(dataset.Data, labelColumn)
                    .SetTuner(Tuners.Parse(result.GetValue(tuner)!))
                    .SetCrossValidation(result.GetValue(folds))
                    .SetTrainingTime(seconds is { } s ? TimeSpan.FromSeconds(s) : null)
                    .SetMaxTrials(result.GetValue(maxTrials))
                    .SetParallelTrials(result.GetValue(parallel), result.GetValue(threads))
                    .SetPruner(result.GetValue(pruner) switch { "median" => new MedianPruner(), "asha" => new AshaPruner(), _ => null })
                    .SetStorage(result.GetValue(storage) ?? Path.Combine(folder, "experiment.db"), result.GetValue(study)!)
                    .SetSeed(result.GetValue(seed))
                    .SetTestData(result.GetValue(testDataset) is { } testPath ? TrainCommand.LoadTestFile(dataset, testPath) : null)
                    .SetProgress(quiet || level == Verbosity.Quiet || live is not null ? null : new TrialLines(output.Out, level));
                var options = experiment.Options;
                options.Task = TrainCommand.ParseTask(result.GetValue(task));
                options.Metric = result.GetValue(metric);
                options.Features = dataset.Features;
                options.PositiveClass = result.GetValue(positive);
                options.IgnoreColumns = Split(result.GetValue(ignore));
                options.Trainers = Split(result.GetValue(trainers)).Select(t => CandidateCatalog.Get(t).Name).ToList();
                if (result.GetValue(trialTimeout) is { } timeout)
                    options.TrialTimeout = TimeSpan.FromSeconds(timeout);
                options.MemoryLimitMb = result.GetValue(memoryLimit);

                var run = live is null
                    ? experiment.Run(cancellationToken)
                    : LiveTrialProgress.Run(live, options.TrainingTime, options.MaxTrials, progress => experiment.SetProgress(progress).Run(cancellationToken));
                var files = Save(ml, run, folder, result.GetValue(study)!);
                if (quiet)
                    output.Out.WriteLine(ToJson(dataset.Name, run, files).ToJsonString(ToolkitJson.Indented));
                else
                    WriteText(output.Out, dataset.Name, run, files);
                if (run.Summary.Reason == StopReason.Cancelled)
                {
                    output.Error.WriteLine($"cancelled: {run.Trials.Count(t => t.State != TrialState.Cancelled)} finished trials are saved in {run.Storage}; run the same command again to resume.");
                    exit = ExitCodes.Cancelled;
                }
                else if (run.BestTrial is null)
                {
                    output.Error.WriteLine("error: no trial completed within the budget; give more --train-time, or see the errors in trials.csv.");
                    exit = ExitCodes.NoModel;
                }
            });
            return Task.FromResult(code != ExitCodes.Success ? code : exit);
        });
        return command;
    }

    private static List<string> Split(string[]? values) =>
        (values ?? Array.Empty<string>()).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();

    private sealed record SavedFiles(string? Model, string Leaderboard, string Csv, string Json, string Report);

    private static SavedFiles Save(MLContext ml, AutoMlResult run, string folder, string study)
    {
        string? model = null;
        if (run.BestModel is { } best)
        {
            model = Path.Combine(folder, "model.zip");
            best.Save(ml, model);
        }
        var report = ExperimentReport.Write(ReportData.FromResult(run, study), folder);
        var files = new SavedFiles(model, Path.Combine(folder, "leaderboard.txt"), Path.Combine(folder, "trials.csv"), Path.Combine(folder, "trials.json"), report.Html);
        File.WriteAllText(files.Leaderboard, run.Leaderboard.ToText(int.MaxValue) + Environment.NewLine);
        File.WriteAllText(files.Csv, TrialHistoryExport.ToCsv(run.Trials));
        File.WriteAllText(files.Json, TrialHistoryExport.ToJson(run.Trials));
        return files;
    }

    private static void WriteText(TextWriter w, string dataset, AutoMlResult run, SavedFiles files)
    {
        var summary = run.Summary;
        w.WriteLine();
        w.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Stopped  {Reason(summary.Reason)} after {summary.Elapsed.TotalSeconds:0.0} s; {summary.Trials.Count} trials{(summary.ResumedTrials > 0 ? $" ({summary.ResumedTrials} resumed from storage)" : "")}"));
        w.WriteLine($"Dataset  {dataset}: {run.Task}, {(run.Folds > 1 ? $"{run.Folds}-fold cross-validation" : "holdout")}, maximizing {run.Metric.Name}".Replace("maximizing", run.Metric.Maximize ? "maximizing" : "minimizing", StringComparison.Ordinal));
        w.WriteLine(run.Leaderboard.ToText());
        if (run.BestTrial is { } best)
        {
            var row = run.Leaderboard.Rows[0];
            w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Best     trial {best.Number}: {row.Trainer} {run.Metric.Name} {best.Value:0.0000}{(best.ValueStd is { } std ? $" ± {std:0.0000}" : "")}"));
            w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Refit    on all training rows in {run.RefitDuration.TotalSeconds:0.0} s"));
        }
        if (run.Test is { } test)
        {
            w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Test metrics ({test.Rows:N0} rows):"));
            w.Write(test.ToText());
        }
        if (files.Model is not null)
            w.WriteLine($"Model    {files.Model}");
        w.WriteLine($"Trials   {files.Csv}, {files.Json}");
        w.WriteLine($"Report   {files.Report}");
        w.WriteLine($"Storage  {run.Storage}");
    }

    private static string Reason(StopReason reason) => reason switch
    {
        StopReason.TimeBudget => "at the time budget",
        StopReason.MaxTrials => "at the trial budget",
        StopReason.SpaceExhausted => "with the search space exhausted",
        _ => "on cancellation",
    };

    private static JsonObject ToJson(string dataset, AutoMlResult run, SavedFiles files)
    {
        var rows = new JsonArray(run.Leaderboard.Rows.Select(r => (JsonNode?)new JsonObject
        {
            ["rank"] = r.Rank,
            ["trial"] = r.Trial.Number,
            ["trainer"] = r.Trainer,
            ["value"] = r.Trial.Value,
            ["std"] = r.Trial.ValueStd,
            ["seconds"] = Math.Round(r.Trial.Duration.TotalSeconds, 3),
            ["parameters"] = JsonNode.Parse(TrialConfiguration.Hyperparameters(r.Trial).ToJson()),
        }).ToArray());
        return new JsonObject
        {
            ["dataset"] = dataset,
            ["task"] = run.Task.ToString(),
            ["metric"] = run.Metric.Name,
            ["maximize"] = run.Metric.Maximize,
            ["folds"] = run.Folds,
            ["stopReason"] = run.Summary.Reason.ToString(),
            ["elapsedSeconds"] = Math.Round(run.Summary.Elapsed.TotalSeconds, 3),
            ["trials"] = run.Trials.Count,
            ["resumedTrials"] = run.Summary.ResumedTrials,
            ["complete"] = run.Leaderboard.Rows.Count,
            ["pruned"] = run.Leaderboard.Pruned,
            ["failed"] = run.Leaderboard.Failed,
            ["cancelled"] = run.Leaderboard.Cancelled,
            ["best"] = run.Leaderboard.Rows.Count > 0 ? rows[0]!.DeepClone() : null,
            ["leaderboard"] = rows,
            ["refitSeconds"] = Math.Round(run.RefitDuration.TotalSeconds, 3),
            ["test"] = run.Test?.ToJson(),
            ["model"] = files.Model,
            ["trialsCsv"] = files.Csv,
            ["trialsJson"] = files.Json,
            ["report"] = files.Report,
            ["storage"] = run.Storage,
        };
    }
}
