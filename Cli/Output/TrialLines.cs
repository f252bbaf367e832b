using System.Globalization;
using MlToolkit.Experiments.AutoMl;
using MlToolkit.Experiments.Running;
using MlToolkit.Experiments.Tuning;

namespace MlToolkit.Cli.Output;

/// <summary>Experiment progress as plain lines (for logs and redirected output): one per finished trial, or per event when diagnostic.</summary>
internal sealed class TrialLines(TextWriter writer, Verbosity verbosity) : IProgress<ExperimentEvent>
{
    public void Report(ExperimentEvent value)
    {
        var trial = value.Trial;
        var trainer = TrialConfiguration.Of(trial);
        string? line = value.Kind switch
        {
            ExperimentEventKind.NewBest => null,
            ExperimentEventKind.TrialStarted => verbosity == Verbosity.Diagnostic ? $"trial {trial.Number,3}  {trainer,-10} started: {TrialConfiguration.Hyperparameters(trial)}" : null,
            ExperimentEventKind.TrialProgress => verbosity == Verbosity.Diagnostic
                ? string.Create(CultureInfo.InvariantCulture, $"trial {trial.Number,3}  {trainer,-10} epoch {value.Step}: loss {trial.Intermediate[value.Step!.Value]:0.0000}")
                : null,
            _ => Finished(value, trial, trainer),
        };
        if (line is null)
            return;
        lock (writer)
        {
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{value.Elapsed.TotalSeconds,6:0.0} s] {line}"));
            writer.Flush();
        }
    }

    private static string Finished(ExperimentEvent value, TrialRecord trial, string trainer)
    {
        var outcome = trial.State == TrialState.Complete
            ? string.Create(CultureInfo.InvariantCulture, $"{trial.Value:0.0000}{(trial.ValueStd is { } std ? $" ± {std:0.0000}" : "")}")
            : $"{trial.State.ToString().ToLowerInvariant()}: {trial.Error}";
        var best = value.Best?.Value is { } b ? string.Create(CultureInfo.InvariantCulture, $"best {b:0.0000}") : "no best yet";
        return string.Create(CultureInfo.InvariantCulture, $"trial {trial.Number,3}  {trainer,-10} {outcome}  ({trial.Duration.TotalSeconds:0.0} s; {best})");
    }
}
