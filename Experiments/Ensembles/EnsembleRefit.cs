using MlToolkit.Experiments.Tuning;

namespace MlToolkit.Experiments.Ensembles;

/// <summary>
/// Refits a selected blend's members on all rows within the time left. Heaviest first: if time runs out, what was
/// refit carries most of the blend. A member whose refit is not expected to end in the time left is not started,
/// because ML.NET's LightGBM does not stop when cancelled (shuttle's refits ran 3 s past the budget); one already
/// running when the time is up is cancelled and left out.
/// </summary>
internal static class EnsembleRefit
{
    /// <summary>
    /// How long refitting <paramref name="trial"/> on all rows should take: one of its fits (it fit once per fold),
    /// with a quarter more for the larger training set.
    /// </summary>
    public static TimeSpan Expected(TrialRecord trial, int folds) => trial.Duration / Math.Max(folds, 1) * 1.25;

    /// <summary>
    /// The members of <paramref name="selected"/> refit by <paramref name="refit"/>, by trial number, starting from
    /// <paramref name="refitAlready"/> (the winner's model); a member not refit in <paramref name="timeLeft"/> (read
    /// on <paramref name="time"/>) is missing. Only <paramref name="cancellationToken"/> (the caller's) throws.
    /// </summary>
    public static Dictionary<int, TModel> Members<TModel>(EnsembleSummary selected, IReadOnlyList<TrialRecord> trials, int folds,
        IReadOnlyDictionary<int, TModel> refitAlready, Func<TrialRecord, CancellationToken, TModel> refit, TimeSpan? timeLeft,
        TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(selected);
        ArgumentNullException.ThrowIfNull(trials);
        ArgumentNullException.ThrowIfNull(refit);
        ArgumentNullException.ThrowIfNull(time);
        var members = new Dictionary<int, TModel>(refitAlready);
        var start = time.GetTimestamp();
        using var deadline = timeLeft is { } left ? new CancellationTokenSource(left > TimeSpan.Zero ? left : TimeSpan.Zero, time) : new CancellationTokenSource();
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            foreach (var number in selected.Weights.OrderByDescending(w => w.Value).Select(w => w.Key).Where(n => !members.ContainsKey(n)))
            {
                var trial = trials.Single(t => t.Number == number);
                if (timeLeft is null || Expected(trial, folds) < timeLeft.Value - time.GetElapsedTime(start))
                    members[number] = refit(trial, either.Token);
            }
        }
        catch (Exception) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The budget ran out while refitting a member (ML.NET trainers rethrow the cancellation wrapped).
        }
        return members;
    }
}
