using MlToolkit.Experiments.Tuning.SearchSpaces;

namespace MlToolkit.Experiments.Tuning.Tuners;

/// <summary>
/// Proposes configurations and learns from their outcomes. Tuners always minimize <see cref="TrialReport.Loss"/>; the
/// experiment turns a metric to maximize into a loss. A tuner must accept reports of configurations it did not
/// propose (enqueued or resumed trials), and proposals must depend only on the seed, the trial number and the reports
/// received, so that replaying a stored history rebuilds the same tuner.
/// </summary>
public interface ITuner
{
    /// <summary>The configuration for trial <paramref name="trialNumber"/>, or null when the tuner has nothing left to try (an exhausted grid).</summary>
    ParameterSet? Propose(int trialNumber);

    /// <summary>The outcome of a trial.</summary>
    void Report(TrialReport report);
}

/// <summary>What a tuner learns from one trial.</summary>
/// <param name="TrialNumber">The trial's number.</param>
/// <param name="Configuration">The configuration evaluated.</param>
/// <param name="State">Complete, pruned, failed or cancelled; a failure is not disguised as a bad loss.</param>
/// <param name="Loss">The value to minimize for a complete trial; for a pruned one its last intermediate value, if any; otherwise null.</param>
/// <param name="Cost">Wall-clock time the trial took.</param>
public sealed record TrialReport(int TrialNumber, ParameterSet Configuration, TrialState State, double? Loss, TimeSpan Cost);
