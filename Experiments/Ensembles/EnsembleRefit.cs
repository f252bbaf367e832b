using MlToolkit.Experiments.AutoMl;
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
    /// with a quarter more for the larger training set, times its <see cref="TrialConfiguration.FinalFit"/>'s cost factor.
    /// </summary>
    public static TimeSpan Expected(TrialRecord trial, int folds) =>
        trial.Duration / Math.Max(folds, 1) * 1.25 * TrialConfiguration.FinalFit(trial).CostFactor;

    /// <summary>
    /// Seconds the first refit of a trainer takes in this process beyond <see cref="Expected"/>, when the trials ran in
    /// worker processes (loading its native library, JIT): measured over 25 outer folds of five benchmark tasks, the first
    /// LightGBM member took 0.3–1.1 s longer than expected and a second one no longer, the first forest 0.3–0.5 s, the first
    /// MLP 1.0 s. Without it a LightGBM member started with 3.7 s left, expected to take 3.5 s, took 4.0 s (shuttle).
    /// </summary>
    public const double FirstRefitSeconds = 1;

    /// <summary>
    /// The training time a member may take when <paramref name="remaining"/> is left and the members after it are
    /// expected to take <paramref name="after"/>: what they leave, but at least a quarter of it. An iterative trainer
    /// (the torch networks) stops starting epochs then instead of being cancelled at the deadline: its folds stop early
    /// on their validation slices, while its refit on all rows may not (a pima_diabetes MLP trained 30 epochs in 2.1 s,
    /// its folds 0.8 s each).
    /// </summary>
    public static TimeSpan TrainingLimit(TimeSpan remaining, IEnumerable<TimeSpan> after)
    {
        var left = remaining - after.Aggregate(TimeSpan.Zero, (sum, t) => sum + t);
        return left > remaining / 4 ? left : remaining / 4;
    }

    /// <summary>
    /// The members of <paramref name="selected"/> refit by <paramref name="refit"/>, by trial number, starting from
    /// <paramref name="refitAlready"/> (the winner's model), each given its <see cref="TrainingLimit"/> (none without a
    /// <paramref name="deadline"/>); a member not refit by <paramref name="deadline"/> (on <paramref name="time"/>'s
    /// clock) is missing. A member is expected to take <see cref="Expected"/>, plus <paramref name="firstRefitOfTrainer"/>
    /// when no model of its trainer has been refit yet. Only <paramref name="cancellationToken"/> (the caller's) throws.
    /// The deadline is a moment, not a time left, so that what the caller does before calling (loading trials, selecting
    /// the blend) counts against it.
    /// </summary>
    public static Dictionary<int, TModel> Members<TModel>(EnsembleSummary selected, IReadOnlyList<TrialRecord> trials, int folds, TimeSpan firstRefitOfTrainer,
        IReadOnlyDictionary<int, TModel> refitAlready, Func<TrialRecord, TimeSpan?, CancellationToken, TModel> refit, DateTimeOffset? deadline,
        TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(selected);
        ArgumentNullException.ThrowIfNull(trials);
        ArgumentNullException.ThrowIfNull(refit);
        ArgumentNullException.ThrowIfNull(time);
        var members = new Dictionary<int, TModel>(refitAlready);
        var costs = new RefitCosts(trials.Where(t => members.ContainsKey(t.Number)), folds, firstRefitOfTrainer);
        TimeSpan? Remaining() => deadline - time.GetUtcNow();
        using var timeUp = Remaining() is { } left ? new CancellationTokenSource(left > TimeSpan.Zero ? left : TimeSpan.Zero, time) : new CancellationTokenSource();
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeUp.Token);
        try
        {
            var queue = selected.Weights.OrderByDescending(w => w.Value).Select(w => trials.Single(t => t.Number == w.Key))
                .Where(t => !members.ContainsKey(t.Number)).ToList();
            for (var i = 0; i < queue.Count; i++)
            {
                var remaining = Remaining();
                if (remaining is { } before && costs.Of(queue[i]) >= before)
                    continue;
                var limit = remaining is { } timeLeft ? TrainingLimit(timeLeft, costs.After(queue[i], queue.Skip(i + 1))) : (TimeSpan?)null;
                members[queue[i].Number] = refit(queue[i], limit, either.Token);
                costs.Loaded(queue[i]);
            }
        }
        catch (Exception) when (timeUp.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The budget ran out while refitting a member (ML.NET trainers rethrow the cancellation wrapped).
        }
        return members;
    }

    /// <summary>What each member's refit is expected to take, given the trainers already refit in this process.</summary>
    private sealed class RefitCosts(IEnumerable<TrialRecord> refit, int folds, TimeSpan firstRefitOfTrainer)
    {
        private readonly HashSet<string> _loaded = refit.Select(TrialConfiguration.Of).ToHashSet(StringComparer.OrdinalIgnoreCase);

        public TimeSpan Of(TrialRecord trial) => Expected(trial, folds) + (_loaded.Contains(TrialConfiguration.Of(trial)) ? TimeSpan.Zero : firstRefitOfTrainer);

        public void Loaded(TrialRecord trial) => _loaded.Add(TrialConfiguration.Of(trial));

        /// <summary>What <paramref name="later"/> members are expected to take once <paramref name="current"/> is refit: each trainer still to load pays its first refit once.</summary>
        public List<TimeSpan> After(TrialRecord current, IEnumerable<TrialRecord> later)
        {
            var loaded = new HashSet<string>(_loaded, StringComparer.OrdinalIgnoreCase) { TrialConfiguration.Of(current) };
            return later.Select(t => Expected(t, folds) + (loaded.Add(TrialConfiguration.Of(t)) ? firstRefitOfTrainer : TimeSpan.Zero)).ToList();
        }
    }
}
