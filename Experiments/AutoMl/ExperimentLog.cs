using Microsoft.ML;
using Microsoft.ML.Runtime;
using MlToolkit.Experiments.Running;

namespace MlToolkit.Experiments.AutoMl;

/// <summary>
/// Writes an experiment's trial events to the caller's <see cref="MLContext"/>, so that <c>mlContext.Log</c> shows
/// them as it shows ML.NET's own messages (and as ML.NET's AutoML does), then passes them on.
/// </summary>
internal sealed class ExperimentLog(MLContext mlContext, IProgress<ExperimentEvent>? inner) : IProgress<ExperimentEvent>
{
    private readonly IChannel _channel = ((IChannelProvider)mlContext).Start("MlToolkit.AutoML");

    public void Report(ExperimentEvent value)
    {
        var trial = value.Trial;
        var trainer = TrialConfiguration.Of(trial);
        var message = value.Kind switch
        {
            ExperimentEventKind.TrialStarted => FormattableString.Invariant($"trial {trial.Number} started: {trainer} {TrialConfiguration.Hyperparameters(trial)}"),
            ExperimentEventKind.TrialCompleted => FormattableString.Invariant($"trial {trial.Number} completed: {trainer} {trial.Value:0.####} in {trial.Duration.TotalSeconds:0.0} s"),
            ExperimentEventKind.TrialPruned => FormattableString.Invariant($"trial {trial.Number} pruned: {trainer}"),
            ExperimentEventKind.TrialFailed => FormattableString.Invariant($"trial {trial.Number} failed: {trainer}: {trial.Error}"),
            ExperimentEventKind.TrialCancelled => FormattableString.Invariant($"trial {trial.Number} cancelled: {trainer}"),
            ExperimentEventKind.NewBest => FormattableString.Invariant($"trial {trial.Number} is the new best: {trainer} {trial.Value:0.####}"),
            _ => null,
        };
        if (message is not null)
        {
            if (value.Kind == ExperimentEventKind.TrialFailed)
                _channel.Warning(MessageSensitivity.None, message);
            else
                _channel.Info(MessageSensitivity.None, message);
        }
        inner?.Report(value);
    }
}
