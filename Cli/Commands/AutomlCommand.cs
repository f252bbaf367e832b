using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using MlToolkit.Cli.Output;
using MlToolkit.Data.IO;
using MlToolkit.Experiments.AutoMl;
using MlToolkit.Experiments.Candidates;
using MlToolkit.Experiments.Reporting;
using MlToolkit.Experiments.Results;
using MlToolkit.Experiments.Running;
using MlToolkit.Experiments.Running.Workers;
using MlToolkit.Experiments.Tuning;
using MlToolkit.Experiments.Tuning.Pruners;
using MlToolkit.Experiments.Tuning.Tuners;
using Microsoft.ML;
using MlToolkit.Experiments.Ensembles;
using MlToolkit.Models;
using MlToolkit.Models.Explanations;

namespace MlToolkit.Cli.Commands;

/// <summary>
/// <c>mltoolkit automl</c>: searches trainers and hyperparameters under a budget, persisting every trial to SQLite
/// (re-running with the same storage resumes), then refits the best and writes the model, leaderboard and history.
/// </summary>
internal static class AutomlCommand
{
    public static Command Create(CliOutput output)
    {
        var options = new AutomlCommandOptions();
        var command = new Command("automl", "Search trainers and hyperparameters under a time or trial budget, then save the best model.");
        foreach (var option in options.All)
            command.Options.Add(option);
        command.SetAction((result, cancellationToken) =>
        {
            var exit = ExitCodes.Success;
            // Cancellation is the experiment's to handle: it stops at the next trial boundary and saves what finished.
            var code = TrainCommand.Run(output, CancellationToken.None, () => exit = Execute(output, options, result, cancellationToken));
            return Task.FromResult(code != ExitCodes.Success ? code : exit);
        });
        return command;
    }

    private static int Execute(CliOutput output, AutomlCommandOptions o, ParseResult result, CancellationToken cancellationToken)
    {
        if (result.GetValue(o.Worker))
            return ServeAsWorker(o, result);
        var dataset = o.Data.Load(result);
        DatasetOptions.Warn(dataset, output.Error);
        var labelColumn = result.GetValue(o.Label) ?? dataset.DefaultLabel ?? throw new ArgumentException("--label-col is required with --dataset.");
        var folder = Path.GetFullPath(result.GetValue(o.OutputFolder)!);
        var quiet = result.GetValue(o.Json);
        var level = VerbosityOption.Parse(result.GetValue(o.Verbosity));
        var live = !quiet && level == Verbosity.Normal ? output.Live : null;
        var ml = new MLContext(result.GetValue(o.Seed));
        // Only the parent scores the final model on the test file; its workers evaluate trials.
        var experiment = Configure(ml.AutoMl().CreateExperiment(dataset.Data, labelColumn), o, result, dataset, folder)
            .SetTestData(result.GetValue(o.TestDataset) is { } testPath ? TrainCommand.LoadTestFile(dataset, testPath, output.Error) : null)
            .SetProgress(quiet || level == Verbosity.Quiet || live is not null ? null : new TrialLines(output.Out, level));
        // Made once the inputs have been read, so that one refused leaves no empty folder behind.
        Directory.CreateDirectory(folder);
        var clock = Stopwatch.StartNew();
        (AutoMlResult Run, string? Model, ModelSummary? Explanations) SearchAndExplain(LiveTrialProgress? progress)
        {
            var run = (progress is null ? experiment : experiment.SetProgress(progress)).Run(cancellationToken);
            // Saved before explaining: whatever goes wrong there must not cost the run its model.
            var model = SaveModel(ml, run, folder);
            if (!result.GetValue(o.Explain) || run.BestModel is not { } best)
                return (run, model, null);
            // The report explains the best model on the training rows (importance, a few SHAP rows) in what the search left.
            progress?.Show("explaining the best model");
            return (run, model, Explain(output.Error, ml, best, dataset.Data, Budget(o, result) - clock.Elapsed));
        }
        var (run, model, explanations) = live is null
            ? SearchAndExplain(null)
            : LiveTrialProgress.Run(live, Budget(o, result), experiment.Options.MaxTrials, SearchAndExplain);
        var files = Save(run, folder, model, result.GetValue(o.Study)!, explanations);
        // The saved model names the columns its features left out as identifiers.
        var identifiers = run.BestModel?.Description.IdentifierColumns ?? Array.Empty<string>();
        if (quiet)
            output.Out.WriteLine(ToJson(dataset.Name, run, files, explanations, identifiers).ToJsonString(ToolkitJson.Indented));
        else
            WriteText(output.Out, dataset.Name, run, files, explanations, identifiers);
        if (run.BestModel is { } saved)
            DatasetOptions.WarnConfusableClasses(saved.Description, output.Error);
        return ExitCode(output.Error, run);
    }

    /// <summary>
    /// Worker mode: the parent automl process started this one with its own arguments. The protocol owns standard
    /// output, so everything else this process prints goes to standard error.
    /// </summary>
    private static int ServeAsWorker(AutomlCommandOptions o, ParseResult result)
    {
        using var protocol = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = false };
        Console.SetOut(Console.Error);
        using var input = new StreamReader(Console.OpenStandardInput());
        try
        {
            var dataset = o.Data.Load(result);
            var labelColumn = result.GetValue(o.Label) ?? dataset.DefaultLabel ?? throw new ArgumentException("--label-col is required with --dataset.");
            var ml = new MLContext(result.GetValue(o.Seed));
            Configure(ml.AutoMl().CreateExperiment(dataset.Data, labelColumn), o, result, dataset, Directory.GetCurrentDirectory()).ServeWorker(input, protocol);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            TrialWorker.Refuse(protocol, $"{error.GetType().Name}: {error.Message}");
            throw;
        }
        return ExitCodes.Success;
    }

    private static AutoMlExperiment Configure(AutoMlExperiment experiment, AutomlCommandOptions o, ParseResult result, LoadedDataset dataset, string folder)
    {
        var budget = Budget(o, result);
        experiment
            .SetTuner(Tuners.Parse(result.GetValue(o.Tuner)!))
            .SetTrainingTime(result.GetValue(o.Explain) ? budget - ExplanationShare(budget) : budget)
            .SetMaxTrials(result.GetValue(o.MaxTrials))
            .SetParallelTrials(result.GetValue(o.Parallel), result.GetValue(o.Threads))
            .SetPruner(result.GetValue(o.Pruner) switch { "median" => new MedianPruner(), "asha" => new AshaPruner(), _ => null })
            .SetStorage(result.GetValue(o.Storage) ?? Path.Combine(folder, "experiment.db"), result.GetValue(o.Study)!)
            .SetSeed(result.GetValue(o.Seed));
        var options = experiment.Options;
        options.Task = TrainCommand.ParseTask(result.GetValue(o.Task));
        options.Metric = result.GetValue(o.Metric);
        options.Features = dataset.Features;
        options.PositiveClass = result.GetValue(o.Positive);
        options.IgnoreColumns = Split(result.GetValue(o.Ignore));
        options.Trainers = Split(result.GetValue(o.Trainers)).Select(t => CandidateCatalog.Get(t).Name).ToList();
        if (result.GetValue(o.TrialTimeout) is { } timeout)
            options.TrialTimeout = TimeSpan.FromSeconds(timeout);
        options.MemoryLimitMb = result.GetValue(o.MemoryLimit);
        options.Folds = result.GetValue(o.Folds);
        options.Repeats = result.GetValue(o.Repeats);
        options.Ensemble = result.GetValue(o.Ensemble);
        options.StrongStarts = result.GetValue(o.StrongStarts);
        if (result.GetValue(o.Isolation) == "process" && !result.GetValue(o.Worker))
        {
            var arguments = result.Tokens.Select(t => t.Value).Append("--worker").ToList();
            options.WorkerProcess = () => WorkerCommand.Start(arguments);
        }
        return experiment;
    }

    /// <summary>The whole run's time budget (--train-time; 60 s unless only --max-trials is given), or null for none.</summary>
    private static TimeSpan? Budget(AutomlCommandOptions o, ParseResult result) =>
        (result.GetValue(o.TrainTime) ?? (result.GetValue(o.MaxTrials) is null ? 60 : null)) is { } seconds ? TimeSpan.FromSeconds(seconds) : null;

    /// <summary>
    /// The part of the budget kept for explaining the best model (--explain): a tenth, at most a minute. The search stops
    /// that much earlier so that the run ends within --train-time: explained in full after a 30 s search, an
    /// eight-member ensemble on soybean (547 rows, 35 columns) took 28 s more.
    /// </summary>
    internal static TimeSpan? ExplanationShare(TimeSpan? budget) =>
        budget is { } b ? TimeSpan.FromSeconds(Math.Min(60, b.TotalSeconds / 10)) : null;

    private static int ExitCode(TextWriter error, AutoMlResult run)
    {
        if (run.Summary.Reason == StopReason.Cancelled)
        {
            error.WriteLine($"cancelled: {run.Trials.Count(t => t.State != TrialState.Cancelled)} finished trials are saved in {run.Storage}; run the same command again to resume.");
            return ExitCodes.Cancelled;
        }
        if (run.BestTrial is null && run.Trials.Count == 0 && run.Summary.Reason == StopReason.TimeBudget)
        {
            error.WriteLine(FormattableString.Invariant($"error: reading and preparing the data took {run.PreparationDuration.TotalSeconds:0.0} s, the whole budget, so no trial started; give more --train-time."));
            return ExitCodes.NoModel;
        }
        if (run.BestTrial is null)
        {
            var (message, exitCode) = NoTrialCompleted(run.Trials);
            error.WriteLine(message);
            return exitCode;
        }
        return ExitCodes.Success;
    }

    /// <summary>
    /// Why no model came out, and the exit code. When every trial that ended stopped on the same bad value in the data
    /// (one past the schema's sample), that is an input error, as <c>train</c> reports it; when they all failed
    /// otherwise, the commonest failure (more time would not help); else the budget ran out first.
    /// </summary>
    private static (string Message, int ExitCode) NoTrialCompleted(IReadOnlyList<TrialRecord> trials)
    {
        const string DataError = nameof(DataFormatException) + ": ";
        var ended = trials.Where(t => t.State != TrialState.Cancelled).ToList();
        if (ended.Count == 0 || ended.Any(t => t.State != TrialState.Failed))
            return ("error: no trial completed within the budget; give more --train-time, or see the errors in trials.csv.", ExitCodes.NoModel);
        var commonest = ended.GroupBy(t => t.Error ?? "no error recorded").OrderByDescending(g => g.Count()).First();
        if (commonest.Count() == ended.Count && commonest.Key.StartsWith(DataError, StringComparison.Ordinal))
            return ($"error: {commonest.Key[DataError.Length..]}", ExitCodes.InputError);
        var failed = ended.Count == 1 ? "the only trial that ended failed:" : string.Create(CultureInfo.InvariantCulture, $"all {ended.Count} trials that ended failed, {commonest.Count()} of them with:");
        return ($"error: {failed} {commonest.Key} The errors of every trial are in trials.csv.", ExitCodes.NoModel);
    }

    private static List<string> Split(string[]? values) =>
        (values ?? Array.Empty<string>()).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();

    private sealed record SavedFiles(string? Model, string Leaderboard, string Csv, string Json, string Report);

    private static string? SaveModel(MLContext ml, AutoMlResult run, string folder)
    {
        if (run.BestModel is not { } best)
            return null;
        var model = Path.Combine(folder, "model.zip");
        best.Save(ml, model);
        return model;
    }

    /// <summary>Hands explaining to another function in a test (the real one cannot be made to fail on demand).</summary>
    internal static readonly AsyncLocal<Func<TrainedModel, ModelSummary>?> ExplainOverride = new();

    /// <summary>
    /// The report's explanations, or null with a warning (and the stack trace) on <paramref name="error"/> when explaining
    /// fails: the search's result is saved by then, and an explanation is not worth losing it or failing the run.
    /// </summary>
    private static ModelSummary? Explain(TextWriter error, MLContext ml, TrainedModel model, IDataView data, TimeSpan? budget)
    {
        try
        {
            return ExplainOverride.Value is { } explain ? explain(model) : ModelSummary.Compute(ml, model, data, budget);
        }
        catch (Exception failure) when (failure is not OutOfMemoryException)
        {
            error.WriteLine($"warning: explaining the best model failed, so the report has no explanations; the model is saved. 'mltoolkit explain' explains it. {failure}");
            return null;
        }
    }

    private static SavedFiles Save(AutoMlResult run, string folder, string? model, string study, ModelSummary? explanations)
    {
        var report = ExperimentReport.Write(ReportData.FromResult(run, study) with { Explanations = explanations }, folder);
        var files = new SavedFiles(model, Path.Combine(folder, "leaderboard.txt"), Path.Combine(folder, "trials.csv"), Path.Combine(folder, "trials.json"), report.Html);
        File.WriteAllText(files.Leaderboard, run.Leaderboard.ToText(int.MaxValue) + Environment.NewLine + (run.Ensemble is { } ensemble
            ? string.Create(CultureInfo.InvariantCulture, $"ensemble (saved as the model): {EnsembleMembers(ensemble)}; {run.Metric.Name} {ensemble.Value:0.0000} out of fold, best single {ensemble.BestSingleValue:0.0000}{Environment.NewLine}")
            : "") + (run.Baseline is { } baseline ? $"baseline: {baseline.ToText(run.Metric.Name)}{Environment.NewLine}" : ""));
        File.WriteAllText(files.Csv, TrialHistoryExport.ToCsv(run.Trials));
        File.WriteAllText(files.Json, TrialHistoryExport.ToJson(run.Trials));
        return files;
    }

    private static void WriteText(TextWriter w, string dataset, AutoMlResult run, SavedFiles files, ModelSummary? explanations, IReadOnlyList<string> identifiers)
    {
        var summary = run.Summary;
        w.WriteLine();
        w.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Stopped  {Reason(summary.Reason)} after {summary.Elapsed.TotalSeconds:0.0} s; {summary.Trials.Count} trials{(summary.ResumedTrials > 0 ? $" ({summary.ResumedTrials} resumed from storage)" : "")}"));
        var withoutLabel = run.RowsWithoutLabel > 0 ? string.Create(CultureInfo.InvariantCulture, $"; {run.RowsWithoutLabel:N0} rows without a label left out") : "";
        w.WriteLine($"Dataset  {dataset}: {run.Task}, {run.Evaluation}, maximizing {run.Metric.Name}{withoutLabel}".Replace("maximizing", run.Metric.Maximize ? "maximizing" : "minimizing", StringComparison.Ordinal));
        if (LoadedDataset.IdentifierLine(identifiers) is { } leftOut)
            w.WriteLine(leftOut);
        w.WriteLine(run.Leaderboard.ToText());
        if (run.BestTrial is { } best)
        {
            var row = run.Leaderboard.Rows[0];
            w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Best     trial {best.Number}: {row.Trainer} {run.Metric.Name} {best.Value:0.0000}{(best.ValueStd is { } std ? $" ± {std:0.0000}" : "")}"));
            if (run.Baseline is { } baseline)
                w.WriteLine($"Baseline {baseline.ToText(run.Metric.Name)}");
            if (run.Ensemble is { } ensemble)
                w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Ensemble {EnsembleMembers(ensemble)}: {run.Metric.Name} {ensemble.Value:0.0000} out of fold (best single {ensemble.BestSingleValue:0.0000}){JudgedOn(ensemble)}; saved as the model"));
            else if (run.EnsembleSkipped is { } whyNot)
                w.WriteLine($"Ensemble none: {whyNot}");
            w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Refit    on all training rows in {run.RefitDuration.TotalSeconds:0.0} s{(run.FinalFitChange is { } change ? $"; trial {best.Number} with {change}" : "")}"));
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
        if (explanations?.Limits is { } limits)
            w.WriteLine($"Explain  {limits} 'mltoolkit explain' explains in full.");
        w.WriteLine($"Storage  {run.Storage}");
    }

    private static string EnsembleMembers(EnsembleSummary ensemble) =>
        string.Join(" + ", ensemble.Weights.Select(w => string.Create(CultureInfo.InvariantCulture, $"{w.Value:0.00}×trial {w.Key}")));

    /// <summary>What the blend beat the best single trial on, when that is not the metric: a lower accuracy is then no slip.</summary>
    private static string JudgedOn(EnsembleSummary ensemble) => ensemble.JudgedOn is { } judged
        ? string.Create(CultureInfo.InvariantCulture, $", kept on its {(judged.Name == "brier" ? "Brier score" : judged.Name)} {judged.Value:0.0000} against {judged.BestSingleValue:0.0000} (lower is better)")
        : "";

    private static string Reason(StopReason reason) => reason switch
    {
        StopReason.TimeBudget => "at the time budget",
        StopReason.MaxTrials => "at the trial budget",
        StopReason.SpaceExhausted => "with the search space exhausted",
        _ => "on cancellation",
    };

    private static JsonObject ToJson(string dataset, AutoMlResult run, SavedFiles files, ModelSummary? explanations, IReadOnlyList<string> identifiers)
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
            ["repeats"] = run.Repeats,
            ["rowsWithoutLabel"] = run.RowsWithoutLabel,
            ["identifierColumns"] = new JsonArray(identifiers.Select(n => (JsonNode?)JsonValue.Create(n)).ToArray()),
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
            ["ensemble"] = run.Ensemble is { } ensemble ? new JsonObject
            {
                ["value"] = ensemble.Value,
                ["bestSingleValue"] = ensemble.BestSingleValue,
                ["judgedOn"] = ensemble.JudgedOn is { } judged
                    ? new JsonObject { ["score"] = judged.Name, ["value"] = judged.Value, ["bestSingleValue"] = judged.BestSingleValue }
                    : null,
                ["members"] = new JsonArray(ensemble.Weights.Select(w => (JsonNode?)new JsonObject { ["trial"] = w.Key, ["weight"] = Math.Round(w.Value, 6) }).ToArray()),
            } : null,
            ["ensembleSkipped"] = run.EnsembleSkipped,
            ["baseline"] = run.Baseline is { } baseline ? new JsonObject
            {
                ["description"] = baseline.Description,
                ["value"] = baseline.Value,
                ["bestValue"] = baseline.BestValue,
                ["beaten"] = baseline.Beaten,
                ["saved"] = baseline.Saved,
            } : null,
            ["refitSeconds"] = Math.Round(run.RefitDuration.TotalSeconds, 3),
            ["finalFitChange"] = run.FinalFitChange,
            ["explanationLimits"] = explanations?.Limits,
            ["totalSeconds"] = Math.Round(run.TotalDuration.TotalSeconds, 3),
            ["test"] = run.Test?.ToJson(),
            ["model"] = files.Model,
            ["trialsCsv"] = files.Csv,
            ["trialsJson"] = files.Json,
            ["report"] = files.Report,
            ["storage"] = run.Storage,
        };
    }
}
