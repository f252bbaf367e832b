using MlToolkit.Experiments.AutoMl;
using MlToolkit.Experiments.Ensembles;
using MlToolkit.Experiments.Tuning;
using MlToolkit.Experiments.Tuning.SearchSpaces;
using MlToolkit.Tests.Support;

namespace MlToolkit.Tests.Experiments;

/// <summary>
/// Refitting a blend's members in the time left, on a clock the test moves: heaviest first, a member not started when
/// its expected refit does not fit, one cancelled at the deadline left out.
/// </summary>
public sealed class EnsembleRefitTests
{
    private const int Folds = 5;

    // Trial 0 is the winner, already refit. With 5 folds, trial 1 (40 s of cross-validation) is expected to refit in 10 s,
    // trial 2 in 4 s, trial 3 in 2 s.
    private static readonly TrialRecord[] Trials =
    {
        Trial(0, crossValidationSeconds: 4),
        Trial(1, crossValidationSeconds: 40),
        Trial(2, crossValidationSeconds: 16),
        Trial(3, crossValidationSeconds: 8),
    };

    private static readonly EnsembleSummary Blend = new(new Dictionary<int, double> { [3] = 0.1, [0] = 0.2, [1] = 0.3, [2] = 0.4 }, -0.1, -0.2);

    [Fact]
    public void The_search_leaves_each_trainers_first_refit_for_the_blend_when_trials_ran_in_workers()
    {
        var budget = TimeSpan.FromSeconds(30);
        // Five trainers among the best trials: 1 s of refits, 0.5 s of selection and 5 × 1 s of first refits.
        Assert.Equal(6.0, AutoMlExperiment.BlendReserveSeconds(1.0, trainers: 5, workers: true, budget), 12);
        // One trainer still gets the process's 2 s cold start; trials on threads left their trainers loaded here.
        Assert.Equal(3.5, AutoMlExperiment.BlendReserveSeconds(1.0, trainers: 1, workers: true, budget), 12);
        Assert.Equal(1.5, AutoMlExperiment.BlendReserveSeconds(1.0, trainers: 5, workers: false, budget), 12);
        // Never more than a fifth of the budget.
        Assert.Equal(6.0, AutoMlExperiment.BlendReserveSeconds(4.0, trainers: 5, workers: true, budget), 12);
    }

    [Fact]
    public void Expected_refit_is_one_fold_fit_and_a_quarter()
    {
        Assert.Equal(TimeSpan.FromSeconds(10), EnsembleRefit.Expected(Trials[1], Folds));
        Assert.Equal(TimeSpan.FromSeconds(2), EnsembleRefit.Expected(Trials[3], Folds));
    }

    [Fact]
    public void Without_a_budget_every_member_is_refit_heaviest_first()
    {
        var (members, order, _) = Refit(new ManualClock(), timeLeft: null, (_, _) => { });
        Assert.Equal(new[] { 2, 1, 3 }, order);
        Assert.Equal(new[] { 0, 1, 2, 3 }, members.Keys.Order());
        Assert.Equal("refit 1", members[1]);
        Assert.Equal("winner", members[0]);
    }

    [Fact]
    public void Each_member_may_train_for_what_the_members_after_it_leave_but_at_least_a_quarter_of_the_time_left()
    {
        // 20 s left: trial 2 may train 20 - (10 + 2) = 8 s and takes 4 s; trial 1 then gets 16 - 2 = 14 s and takes
        // 4 s; trial 3, the last, gets all 12 s left.
        var clock = new ManualClock();
        var (_, order, limits) = Refit(clock, TimeSpan.FromSeconds(20), (_, _) => clock.Advance(TimeSpan.FromSeconds(4)));
        Assert.Equal(new[] { 2, 1, 3 }, order);
        Assert.Equal(new TimeSpan?[] { TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(14), TimeSpan.FromSeconds(12) }, limits);
        Assert.Equal(TimeSpan.FromSeconds(3), EnsembleRefit.TrainingLimit(TimeSpan.FromSeconds(12), new[] { TimeSpan.FromSeconds(10) }));
    }

    [Fact]
    public void Without_a_budget_no_member_has_a_training_limit()
    {
        var (_, _, limits) = Refit(new ManualClock(), timeLeft: null, (_, _) => { });
        Assert.Equal(new TimeSpan?[] { null, null, null }, limits);
    }

    [Fact]
    public void A_member_whose_expected_refit_does_not_fit_in_the_time_left_is_not_started()
    {
        // 12 s left: trial 2 (expected 4 s) starts and takes 4 s; trial 1 (expected 10 s) does not fit in the 8 s left and is
        // skipped; trial 3 (expected 2 s) still fits and is refit.
        var clock = new ManualClock();
        var (members, order, _) = Refit(clock, TimeSpan.FromSeconds(12), (_, _) => clock.Advance(TimeSpan.FromSeconds(4)));
        Assert.Equal(new[] { 2, 3 }, order);
        Assert.Equal(new[] { 0, 2, 3 }, members.Keys.Order());
    }

    [Fact]
    public void A_member_cancelled_at_the_deadline_is_left_out_and_no_other_starts()
    {
        var clock = new ManualClock();
        var (members, order, _) = Refit(clock, TimeSpan.FromSeconds(30), (_, token) =>
        {
            // The refit overruns (the clock jumps past the whole budget) and is then cancelled, as a trainer would be.
            clock.Advance(TimeSpan.FromSeconds(31));
            throw new InvalidOperationException("trainer stopped", new OperationCanceledException(CancelledBy(token)));
        }, cancelAtDeadline: true);
        Assert.Equal(new[] { 2 }, order);
        Assert.Equal(new[] { 0 }, members.Keys);
    }

    [Fact]
    public void The_deadline_is_a_moment_on_the_given_clock_and_time_spent_before_the_call_counts()
    {
        // The deadline is 12 s away when it is set; selecting the blend then takes 8 s. Of the 4 s left, trial 2 (expected
        // 4 s) and trial 1 (10 s) do not fit; trial 3 (2 s) does. Given 12 s as a time left instead, trial 2 would start.
        var clock = new ManualClock();
        var deadline = clock.GetUtcNow() + TimeSpan.FromSeconds(12);
        clock.Advance(TimeSpan.FromSeconds(8));
        var (members, order, limits) = Refit(clock, deadline, (_, _) => clock.Advance(TimeSpan.FromSeconds(1)));
        Assert.Equal(new[] { 3 }, order);
        Assert.Equal(new TimeSpan?[] { TimeSpan.FromSeconds(4) }, limits);
        Assert.Equal(new[] { 0, 3 }, members.Keys.Order());
    }

    [Fact]
    public void A_trainer_not_yet_refit_in_this_process_is_expected_to_take_its_first_refit_time_more()
    {
        // The winner is a forest. Two LightGBM members are expected to take 2 s each and a kNN member 0.5 s, each refit taking
        // exactly that; a trainer's first refit here costs 1 s more. Of 5 s, the first LightGBM (3 s with its first refit)
        // leaves 3 s, the second (2 s, LightGBM now loaded) leaves 1 s, and kNN (1.5 s with its first refit) does not fit.
        // Without the first-refit time kNN would be refit too.
        TrialRecord[] trials = { Trial(0, 4, "forest"), Trial(1, 8, "lightgbm"), Trial(2, 8, "lightgbm"), Trial(3, 2, "knn") };
        var blend = new EnsembleSummary(new Dictionary<int, double> { [0] = 0.1, [1] = 0.4, [2] = 0.3, [3] = 0.2 }, -0.1, -0.2);
        (List<int> Started, List<TimeSpan?> Limits) Run(TimeSpan firstRefit)
        {
            var clock = new ManualClock();
            var (started, limits) = (new List<int>(), new List<TimeSpan?>());
            EnsembleRefit.Members(blend, trials, Folds, firstRefit, new Dictionary<int, string> { [0] = "winner" }, (trial, limit, _) =>
            {
                (started, limits) = (started.Append(trial.Number).ToList(), limits.Append(limit).ToList());
                clock.Advance(EnsembleRefit.Expected(trial, Folds));
                return $"refit {trial.Number}";
            }, clock.GetUtcNow() + TimeSpan.FromSeconds(5), clock, CancellationToken.None);
            return (started, limits);
        }

        var (started, limits) = Run(TimeSpan.FromSeconds(1));
        Assert.Equal(new[] { 1, 2 }, started);
        // The first LightGBM may train 5 - (2 + 1.5) s: the second one's first refit is not counted, kNN's is.
        Assert.Equal(new TimeSpan?[] { TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(1.5) }, limits);
        Assert.Equal(new[] { 1, 2, 3 }, Run(TimeSpan.Zero).Started);
    }

    [Fact]
    public void The_callers_cancellation_is_not_swallowed()
    {
        using var caller = new CancellationTokenSource();
        var clock = new ManualClock();
        Assert.Throws<OperationCanceledException>(() => EnsembleRefit.Members(Blend, Trials, Folds, TimeSpan.Zero, new Dictionary<int, string> { [0] = "winner" },
            (_, _, token) =>
            {
                caller.Cancel();
                token.ThrowIfCancellationRequested();
                return "never";
            }, clock.GetUtcNow() + TimeSpan.FromSeconds(30), clock, caller.Token));
    }

    /// <summary>
    /// The members refit, the trials whose refit started, in order, and the training limit each was given;
    /// <paramref name="during"/> runs inside each refit.
    /// </summary>
    private static (Dictionary<int, string> Members, List<int> Started, List<TimeSpan?> Limits) Refit(ManualClock clock, TimeSpan? timeLeft,
        Action<TrialRecord, CancellationToken> during, bool cancelAtDeadline = false) =>
        Refit(clock, clock.GetUtcNow() + timeLeft, during, cancelAtDeadline);

    private static (Dictionary<int, string> Members, List<int> Started, List<TimeSpan?> Limits) Refit(ManualClock clock, DateTimeOffset? deadline,
        Action<TrialRecord, CancellationToken> during, bool cancelAtDeadline = false)
    {
        var started = new List<int>();
        var limits = new List<TimeSpan?>();
        var members = EnsembleRefit.Members(Blend, Trials, Folds, TimeSpan.Zero, new Dictionary<int, string> { [0] = "winner" }, (trial, limit, token) =>
        {
            started.Add(trial.Number);
            limits.Add(limit);
            during(trial, token);
            return $"refit {trial.Number}";
        }, deadline, cancelAtDeadline ? new DeadlineAtOnce(clock) : clock, CancellationToken.None);
        return (members, started, limits);
    }

    /// <summary>The token, after waiting until the deadline has cancelled it.</summary>
    private static CancellationToken CancelledBy(CancellationToken token)
    {
        Assert.True(token.WaitHandle.WaitOne(TimeSpan.FromSeconds(30)), "the deadline never cancelled the refit");
        return token;
    }

    private static TrialRecord Trial(int number, double crossValidationSeconds, string? trainer = null) => new()
    {
        Number = number,
        State = TrialState.Complete,
        Configuration = new ParameterSet(null, trainer is null ? new Dictionary<string, ParameterValue>()
            : new Dictionary<string, ParameterValue> { [AutoMlSpace.TrainerParameter] = ParameterValue.Of(trainer) }),
        Duration = TimeSpan.FromSeconds(crossValidationSeconds),
    };

    /// <summary>
    /// The manual clock, whose timers fire as soon as they are created: the deadline of a budget the test's clock has
    /// already spent, without waiting for it in real time.
    /// </summary>
    private sealed class DeadlineAtOnce(ManualClock clock) : TimeProvider
    {
        public override long TimestampFrequency => clock.TimestampFrequency;

        public override long GetTimestamp() => clock.GetTimestamp();

        public override DateTimeOffset GetUtcNow() => clock.GetUtcNow();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            base.CreateTimer(callback, state, TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }
}
