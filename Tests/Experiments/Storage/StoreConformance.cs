using System.Collections.Concurrent;
using MlToolkit.Experiments.Running;
using MlToolkit.Experiments.Storage;
using MlToolkit.Experiments.Tuning;
using MlToolkit.Experiments.Tuning.SearchSpaces;
using MlToolkit.Experiments.Tuning.Tuners;
using MlToolkit.Tests.Support;

namespace MlToolkit.Tests.Experiments.Storage;

/// <summary>
/// The rules every <see cref="IExperimentStore"/> keeps for a study shared by several writers. Each writer has its own
/// store object (its own connection), as separate processes would; the in-memory store shares one object.
/// </summary>
public abstract class StoreConformance : IDisposable
{
    private static readonly SearchSpace Space = TestObjectives.BraninSpace();
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private readonly List<IExperimentStore> _opened = new();

    /// <summary>A unique study name, so that a shared database serves many tests.</summary>
    protected string StudyName { get; } = "conformance-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>A new writer on the same storage (a new connection; the in-memory store returns its one object).</summary>
    protected abstract IExperimentStore Connect();

    private IExperimentStore Writer()
    {
        var store = Connect();
        lock (_opened)
            _opened.Add(store);
        store.OpenStudy(new StudyDefinition(StudyName, "branin", false, Space.Describe(), "branin", "test"));
        return store;
    }

    /// <summary>Distinct points of the Branin space for n = 0..59.</summary>
    private static ParameterSet Point(double n) => Space.Configuration(new Dictionary<string, ParameterValue> { ["x1"] = ParameterValue.Of(-5 + n / 4), ["x2"] = ParameterValue.Of(1.0) });

    private static TrialRecord Finish(TrialRecord trial, double value) =>
        trial with { State = TrialState.Complete, Value = value, FoldValues = new[] { value }, Duration = TimeSpan.FromSeconds(1) };

    [StoreFact]
    public void Concurrent_writers_never_share_a_number_never_run_a_claimed_trial_twice_and_stop_at_the_cap()
    {
        var writers = Enumerable.Range(0, 4).Select(_ => Writer()).ToList();
        var started = new ConcurrentBag<(int Writer, TrialRecord Trial)>();
        Parallel.For(0, writers.Count, new ParallelOptions { MaxDegreeOfParallelism = 4 }, w =>
        {
            // Every writer enqueues the same ten starting points, as every process of a study would.
            for (var i = 0; i < 10; i++)
                writers[w].EnqueueTrial(Point(i), TrialOrigin.Enqueued, null, 40, T0);
            while (writers[w].StartTrial(Space, new TrialClaim($"writer-{w}", T0), 40, n => Point(20 + n)) is { Trial: { } trial })
            {
                started.Add((w, trial));
                Assert.True(writers[w].FinishTrial(Finish(trial, trial.Number)));
            }
        });
        var trials = writers[0].LoadTrials(Space);
        Assert.Equal(40, trials.Count);
        Assert.Equal(40, started.Count);
        Assert.Equal(Enumerable.Range(0, 40), started.Select(s => s.Trial.Number).Order());
        Assert.All(trials, t => Assert.Equal(TrialState.Complete, t.State));
        // The ten enqueued points ran once each, whichever writer claimed them.
        Assert.Equal(Enumerable.Range(0, 10).Select(i => Point(i).GetDouble("x1")), trials.Where(t => t.Origin == TrialOrigin.Enqueued).Select(t => t.Configuration.GetDouble("x1")).Order());
        Assert.Equal(30, trials.Count(t => t.Origin == TrialOrigin.Tuner));
        Assert.All(trials.Where(t => t.Origin == TrialOrigin.Tuner), t => Assert.Equal(Point(20 + t.Number).GetDouble("x1"), t.Configuration.GetDouble("x1")));
    }

    [StoreFact]
    public void A_trial_whose_heartbeats_stop_is_failed_and_retried_once_by_another_writer()
    {
        var (dead, alive, third) = (Writer(), Writer(), Writer());
        var lost = dead.StartTrial(Space, new TrialClaim("dead", T0), null, _ => Point(1)).Trial!;
        var kept = alive.StartTrial(Space, new TrialClaim("alive", T0), null, _ => Point(2)).Trial!;
        alive.Heartbeat(new[] { kept.Number }, T0.AddSeconds(50));

        // Two writers look for stale trials at once: one failure, one retry.
        Assert.Equal(new[] { lost.Number }, alive.FailStaleTrials(T0.AddSeconds(10), _ => false));
        Assert.Empty(third.FailStaleTrials(T0.AddSeconds(10), _ => false));
        var trials = third.LoadTrials(Space);
        Assert.Equal(TrialState.Failed, trials[lost.Number].State);
        Assert.Equal("No heartbeat since 2026-11-30 12:00:00Z: the process running this trial stopped or lost the store.", trials[lost.Number].Error);
        Assert.Equal(TrialState.Running, trials[kept.Number].State);
        var retry = Assert.Single(trials, t => t.State == TrialState.Waiting);
        Assert.Equal((TrialOrigin.Retry, lost.Number, Point(1)), (retry.Origin, retry.RetryOf, retry.Configuration));

        // The retry goes to the first writer that asks; the dead writer's late result is refused.
        var claimed = third.StartTrial(Space, new TrialClaim("third", T0.AddSeconds(60)), null, _ => throw new InvalidOperationException("a waiting trial comes first")).Trial!;
        Assert.Equal(retry.Number, claimed.Number);
        Assert.False(dead.FinishTrial(Finish(lost, 1)));
        Assert.Equal(TrialState.Failed, third.LoadTrials(Space)[lost.Number].State);

        // A retry that goes stale too is failed but not retried again.
        Assert.Equal(new[] { claimed.Number }, alive.FailStaleTrials(T0.AddSeconds(40), owner => owner == "third"));
        Assert.Equal("The process ended while this trial was running.", alive.LoadTrials(Space)[claimed.Number].Error);
        Assert.DoesNotContain(alive.LoadTrials(Space), t => t.State == TrialState.Waiting);
    }

    [StoreFact]
    public void The_cap_counts_waiting_and_running_trials_but_not_cancelled_ones_or_those_a_retry_replaced()
    {
        var store = Writer();
        Assert.NotNull(store.EnqueueTrial(Point(1), TrialOrigin.Enqueued, null, 3, T0));
        Assert.Null(store.EnqueueTrial(Point(1), TrialOrigin.Enqueued, null, 3, T0));
        var first = store.StartTrial(Space, new TrialClaim("w", T0), 3, _ => Point(5)).Trial!;
        Assert.Equal((0, TrialOrigin.Enqueued), (first.Number, first.Origin));
        var second = store.StartTrial(Space, new TrialClaim("w", T0), 3, _ => Point(6)).Trial!;
        store.FinishTrial(second with { State = TrialState.Cancelled, Error = "Stopped at the experiment's time budget." });
        // Cancelled: not counted, so two more fit; a retry of it counts, once.
        Assert.NotNull(store.EnqueueTrial(second.Configuration, TrialOrigin.Retry, second.Number, 3, T0));
        Assert.Null(store.EnqueueTrial(second.Configuration, TrialOrigin.Retry, second.Number, 3, T0));
        Assert.Equal(2, store.StartTrial(Space, new TrialClaim("w", T0), 3, _ => Point(7)).Trial!.Number);
        Assert.Equal(3, store.StartTrial(Space, new TrialClaim("w", T0), 3, _ => Point(8)).Trial!.Number);
        Assert.True(store.StartTrial(Space, new TrialClaim("w", T0), 3, _ => Point(9)).CapReached);
        // A stale trial and its retry count once.
        Assert.Equal(new[] { 0, 2, 3 }, store.FailStaleTrials(T0.AddSeconds(1), _ => false));
        Assert.True(store.StartTrial(Space, new TrialClaim("w", T0), 3, _ => Point(9)) is { Trial: { Origin: TrialOrigin.Retry, RetryOf: 0 } });
    }

    [StoreFact]
    public void A_configuration_the_tuner_proposes_gets_the_number_it_is_stored_under_and_none_when_exhausted()
    {
        var store = Writer();
        var asked = new List<int>();
        var trial = store.StartTrial(Space, new TrialClaim("w", T0), null, n => { asked.Add(n); return Point(n); }).Trial!;
        Assert.Equal(new[] { 0 }, asked);
        Assert.Equal((0, TrialState.Running, T0), (trial.Number, trial.State, trial.Started));
        var exhausted = store.StartTrial(Space, new TrialClaim("w", T0), null, _ => null);
        Assert.True(exhausted is { Exhausted: true, Trial: null });
        Assert.Single(store.LoadTrials(Space));
    }

    [StoreFact]
    public void A_proposal_another_writer_already_runs_is_asked_for_again_but_a_writers_own_repeat_is_kept()
    {
        var (first, second) = (Writer(), Writer());
        Assert.Equal(Point(1), first.StartTrial(Space, new TrialClaim("first", T0), null, _ => Point(1)).Trial!.Configuration);
        var proposals = new Queue<ParameterSet>(new[] { Point(1), Point(2) });
        Assert.Equal(Point(2), second.StartTrial(Space, new TrialClaim("second", T0), null, _ => proposals.Dequeue()).Trial!.Configuration);
        // A tuner that insists gets its way; a writer may repeat its own configuration.
        Assert.Equal(Point(1), second.StartTrial(Space, new TrialClaim("second", T0), null, _ => Point(1)).Trial!.Configuration);
        Assert.Equal(Point(2), second.StartTrial(Space, new TrialClaim("second", T0), null, _ => Point(2)).Trial!.Configuration);
    }

    [StoreFact]
    public void Intermediate_values_and_results_round_trip()
    {
        var store = Writer();
        var trial = store.StartTrial(Space, new TrialClaim("w", T0), null, _ => Point(3)).Trial!;
        store.SaveIntermediate(trial.Number, 1, 0.5);
        store.SaveIntermediate(trial.Number, 2, 0.25);
        Assert.Equal(new Dictionary<int, double> { [1] = 0.5, [2] = 0.25 }, Writer().LoadTrials(Space)[0].Intermediate);
        var finished = trial with
        {
            State = TrialState.Complete, Value = 0.75, ValueStd = 0.01, FoldValues = new[] { 0.74, 0.76 }, Metrics = new Dictionary<string, double> { ["rmse"] = 1.5 },
            Intermediate = new Dictionary<int, double> { [1] = 0.5, [2] = 0.25 }, Duration = TimeSpan.FromSeconds(2.5), PeakMemoryMb = 321, Diagnostics = "{\"kind\":\"x\"}",
        };
        Assert.True(store.FinishTrial(finished));
        var stored = Writer().LoadTrials(Space)[0];
        Assert.Equal((finished.State, finished.Value, finished.ValueStd, finished.Duration, finished.PeakMemoryMb, finished.Diagnostics, finished.Configuration),
            (stored.State, stored.Value, stored.ValueStd, stored.Duration, stored.PeakMemoryMb, stored.Diagnostics, stored.Configuration));
        Assert.Equal(finished.FoldValues, stored.FoldValues);
        Assert.Equal(finished.Metrics, stored.Metrics);
        Assert.False(store.FinishTrial(finished), "a finished trial is not finished twice");
    }

    [StoreFact]
    public void Runners_sharing_a_study_split_the_budget_and_each_tuner_learns_every_trial()
    {
        var tuners = new RecordingTuner[3];
        var summaries = new RunSummary[3];
        var ranBy = new ConcurrentDictionary<int, int>();
        using var together = new Barrier(3);
        var threads = Enumerable.Range(0, 3).Select(w => new Thread(() =>
        {
            var study = new StudyDefinition(StudyName, "branin", false, Space.Describe(), "branin", "test");
            using var store = Connect();
            var runner = new ExperimentRunner(store, study, Space, () => tuners[w] = new RecordingTuner(new RandomTuner(Space, w)),
                settings: new RunnerSettings { MaxTrials = 24, UnitCosts = true });
            together.SignalAndWait();
            summaries[w] = runner.Run((p, context) =>
            {
                ranBy[context.Number] = w;
                Thread.Sleep(30);
                return new TrialOutcome(TestObjectives.Branin(p), new[] { TestObjectives.Branin(p) }, new Dictionary<string, double>());
            });
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        var trials = Writer().LoadTrials(Space);
        Assert.Equal(24, trials.Count);
        Assert.All(trials, t => Assert.Equal(TrialState.Complete, t.State));
        Assert.All(summaries, s => Assert.Equal(StopReason.MaxTrials, s.Reason));
        Assert.Equal(Enumerable.Range(0, 24), ranBy.Keys.Order());
        for (var w = 0; w < 3; w++)
        {
            // A runner's summary holds every trial finished by the time it stopped, and its tuner was told of each,
            // other writers' trials included (a runner stops while others may still finish their last trials).
            var finished = summaries[w].Trials.Where(t => t.State == TrialState.Complete).Select(t => t.Number).ToList();
            Assert.Equal(finished.Order(), tuners[w].Reported.Order());
            Assert.Contains(finished, n => ranBy[n] != w);
            Assert.True(finished.Count >= 20, $"runner {w} saw {finished.Count} of 24 trials");
        }
    }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Closes every store the test opened; a subclass then releases what the stores lived in.</summary>
    protected virtual void Dispose(bool disposing)
    {
        foreach (var store in _opened.Distinct())
            store.Dispose();
    }

    /// <summary>Passes everything on to a tuner and remembers which trials it was told of.</summary>
    private sealed class RecordingTuner(ITuner inner) : ITuner
    {
        public ConcurrentBag<int> Reported { get; } = new();

        public ParameterSet? Propose(int trialNumber) => inner.Propose(trialNumber);

        public void Report(TrialReport report)
        {
            Reported.Add(report.TrialNumber);
            inner.Report(report);
        }
    }
}

/// <summary>The conformance rules on the in-memory store (writers are threads sharing the object).</summary>
public sealed class InMemoryStoreConformance : StoreConformance
{
    private readonly InMemoryExperimentStore _store = new();

    protected override IExperimentStore Connect() => new Unowned(_store);

    /// <summary>The one in-memory store, handed to each writer without letting it be disposed early.</summary>
    private sealed class Unowned(IExperimentStore inner) : IExperimentStore
    {
        public string Location => inner.Location;
        public bool OpenStudy(StudyDefinition definition) => inner.OpenStudy(definition);
        public IReadOnlyList<TrialRecord> LoadTrials(SearchSpace space) => inner.LoadTrials(space);
        public int? EnqueueTrial(ParameterSet configuration, TrialOrigin origin, int? retryOf, int? maxTrials, DateTimeOffset now) => inner.EnqueueTrial(configuration, origin, retryOf, maxTrials, now);
        public TrialStart StartTrial(SearchSpace space, TrialClaim claim, int? maxTrials, Func<int, ParameterSet?> propose) => inner.StartTrial(space, claim, maxTrials, propose);
        public void Heartbeat(IReadOnlyCollection<int> trialNumbers, DateTimeOffset now) => inner.Heartbeat(trialNumbers, now);
        public IReadOnlyList<int> FailStaleTrials(DateTimeOffset staleBefore, Func<string, bool> ownerIsGone) => inner.FailStaleTrials(staleBefore, ownerIsGone);
        public void SaveIntermediate(int trialNumber, int step, double loss) => inner.SaveIntermediate(trialNumber, step, loss);
        public bool FinishTrial(TrialRecord trial) => inner.FinishTrial(trial);
        public void Dispose()
        {
        }
    }
}

/// <summary>The conformance rules on SQLite: each writer its own connection to one file.</summary>
public sealed class SqliteStoreConformance : StoreConformance
{
    private readonly TempFolder _folder = new();

    protected override IExperimentStore Connect() => new SqliteExperimentStore(_folder.File("shared.db"));

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        _folder.Dispose();
    }
}

/// <summary>The conformance rules on a real PostgreSQL server (the one .ci/run starts): each writer its own connection.</summary>
public sealed class PostgresStoreConformance : StoreConformance
{
    protected override IExperimentStore Connect() => new PostgresExperimentStore(PostgresServer.ConnectionString);

    [PostgresFact]
    public void Its_location_never_shows_the_password()
    {
        // A server that trusts loopback ignores a password it did not ask for, so one is made up when none is configured.
        var settings = PostgresConnectionString.Parse(PostgresServer.ConnectionString);
        if (string.IsNullOrEmpty(settings.Password))
            settings.Password = "made-up-secret-7f3a";
        using var store = new PostgresExperimentStore(settings.ConnectionString);
        Assert.DoesNotContain(settings.Password, store.Location, StringComparison.Ordinal);
    }
}
