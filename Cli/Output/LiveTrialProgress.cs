using System.Diagnostics;
using System.Globalization;
using MlToolkit.Experiments.AutoMl;
using MlToolkit.Experiments.Running;
using MlToolkit.Experiments.Tuning;
using Spectre.Console;

namespace MlToolkit.Cli.Output;

/// <summary>
/// Live progress on a terminal (Spectre.Console): a bar for the whole run's budget (elapsed against --train-time, which
/// also covers the refit and the report's explanations, or finished against the trial budget) titled with the trial
/// count and the best so far, and one row for the latest trial (its epochs for torch trainers, a spinner otherwise; its
/// outcome once it ends) or for the work after the search. Both rows stay on screen to the end, so the last frame shows
/// the final count and best. A timer keeps the elapsed time and ETA moving between events.
/// </summary>
internal sealed class LiveTrialProgress : IProgress<ExperimentEvent>
{
    private readonly object _gate = new();
    private readonly ProgressContext _context;
    private readonly ProgressTask _budget;
    private readonly TimeSpan? _timeBudget;
    private readonly int? _maxTrials;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ProgressTask _trial;
    private int _shownTrial = -1;
    private string _shownEpoch = "";
    private int _finished;
    private string _best = "no best yet";

    private LiveTrialProgress(ProgressContext context, TimeSpan? timeBudget, int? maxTrials)
    {
        _context = context;
        _timeBudget = timeBudget;
        _maxTrials = maxTrials;
        _budget = context.AddTask(Describe(), maxValue: timeBudget?.TotalSeconds ?? maxTrials ?? 1);
        _trial = context.AddTask("  waiting for the first trial", maxValue: 1);
        _trial.IsIndeterminate = true;
    }

    /// <summary>Runs <paramref name="work"/> with live bars on <paramref name="console"/>, handing it the progress sink.</summary>
    public static T Run<T>(IAnsiConsole console, TimeSpan? timeBudget, int? maxTrials, Func<LiveTrialProgress, T> work) =>
        console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                var progress = new LiveTrialProgress(context, timeBudget, maxTrials);
                using var timer = new Timer(_ => progress.Tick(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(250));
                var result = work(progress);
                progress.Complete();
                return result;
            });

    public void Report(ExperimentEvent value)
    {
        lock (_gate)
        {
            var trial = value.Trial;
            var trainer = TrialConfiguration.Of(trial);
            switch (value.Kind)
            {
                case ExperimentEventKind.TrialStarted:
                {
                    // With parallel trials the row follows the most recently started one.
                    var epochs = trainer.Length > 0 && trial.Configuration.Contains(trainer + ".epochs") ? trial.Configuration.GetInt(trainer + ".epochs") : (int?)null;
                    _shownTrial = trial.Number;
                    _shownEpoch = "";
                    _trial.MaxValue = epochs ?? 1;
                    _trial.Value = 0;
                    _trial.IsIndeterminate = epochs is null;
                    _trial.Description = Markup.Escape($"  trial {trial.Number} {trainer}");
                    break;
                }
                case ExperimentEventKind.TrialProgress when trial.Number == _shownTrial:
                    _shownEpoch = string.Create(CultureInfo.InvariantCulture, $" epoch {value.Step}");
                    _trial.Value = value.Step ?? _trial.Value;
                    _trial.Description = Markup.Escape($"  trial {trial.Number} {trainer}{_shownEpoch}");
                    break;
                case ExperimentEventKind.NewBest:
                    _best = string.Create(CultureInfo.InvariantCulture, $"best {trial.Value:0.0000} (trial {trial.Number}, {trainer})");
                    break;
                case ExperimentEventKind.TrialProgress:
                    break;
                default:
                    _finished++;
                    if (trial.Number == _shownTrial)
                    {
                        var outcome = trial.State == TrialState.Complete
                            ? string.Create(CultureInfo.InvariantCulture, $"{trial.Value:0.0000}")
                            : trial.State.ToString().ToLowerInvariant();
                        _trial.IsIndeterminate = false;
                        _trial.Value = _trial.MaxValue;
                        _trial.Description = Markup.Escape($"  trial {trial.Number} {trainer}{_shownEpoch} · {outcome}");
                    }
                    break;
            }
            _budget.Description = Describe();
        }
    }

    /// <summary>Shows on the second row what the run does after its search (e.g. explaining the best model).</summary>
    public void Show(string step)
    {
        lock (_gate)
        {
            _shownTrial = -1;
            _trial.IsIndeterminate = true;
            _trial.Value = 0;
            _trial.MaxValue = 1;
            _trial.Description = Markup.Escape($"  {step}");
        }
    }

    private void Tick()
    {
        lock (_gate)
        {
            _budget.Value = _timeBudget is { } budget ? Math.Min(_clock.Elapsed.TotalSeconds, budget.TotalSeconds) : _finished;
            _budget.Description = Describe();
        }
    }

    private void Complete()
    {
        lock (_gate)
        {
            _budget.Value = _budget.MaxValue;
            if (_shownTrial < 0)
            {
                _trial.IsIndeterminate = false;
                _trial.Value = _trial.MaxValue;
            }
            _budget.Description = Describe();
        }
    }

    private string Describe()
    {
        var limit = _timeBudget is { } budget
            ? string.Create(CultureInfo.InvariantCulture, $"{_clock.Elapsed.TotalSeconds:0}/{budget.TotalSeconds:0} s")
            : $"{_finished}/{_maxTrials} trials";
        return Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"automl {limit} · {_finished} trials · {_best}"));
    }
}
