using System.Globalization;
using MlToolkit.Trainers.Torch.Training;
using Spectre.Console;

namespace MlToolkit.Cli.Output;

/// <summary>
/// Per-epoch progress of a torch trainer in <c>mltoolkit train</c>: a live status line on a terminal, otherwise one
/// line per epoch on standard error (standard output keeps the result, which scripts read).
/// </summary>
internal static class EpochProgress
{
    /// <summary>Runs <paramref name="work"/> reporting epochs as <paramref name="verbosity"/> asks.</summary>
    public static T Run<T>(CliOutput output, Verbosity verbosity, Func<IProgress<TrainingProgress>?, T> work)
    {
        if (verbosity == Verbosity.Quiet)
            return work(null);
        if (output.Live is { } live && verbosity == Verbosity.Normal)
            return live.Status().Spinner(Spinner.Known.Dots).Start("training…", context => work(new StatusLine(context)));
        return work(new Lines(output.Error, verbosity));
    }

    internal static string Describe(TrainingProgress value) => string.Create(CultureInfo.InvariantCulture,
        $"epoch {value.Epoch}: loss {value.Loss:0.0000}{(value.ValidationLoss is { } v ? $", validation loss {v:0.0000}" : "")}{(value.ValidationAccuracy is { } a ? $", validation accuracy {a:0.0000}" : "")}, {value.SamplesPerSecond:N0} samples/s");

    private sealed class StatusLine(StatusContext context) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (value.Kind == ProgressKind.Epoch)
                context.Status(Markup.Escape("training: " + Describe(value)));
        }
    }

    private sealed class Lines(TextWriter writer, Verbosity verbosity) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (value.Kind != ProgressKind.Epoch && verbosity != Verbosity.Diagnostic)
                return;
            lock (writer)
            {
                writer.WriteLine(value.Kind == ProgressKind.Epoch
                    ? Describe(value)
                    : string.Create(CultureInfo.InvariantCulture, $"  step {value.Step}: loss {value.Loss:0.0000}, learning rate {value.LearningRate:G3}"));
                writer.Flush();
            }
        }
    }
}
