using Microsoft.Data.Sqlite;
using MlToolkit.Experiments.Running;
using MlToolkit.Experiments.Storage;
using MlToolkit.Experiments.Tuning;
using MlToolkit.Experiments.Tuning.Pruners;
using MlToolkit.Experiments.Tuning.SearchSpaces;
using MlToolkit.Experiments.Tuning.Tuners;
using MlToolkit.Tests.Support;

namespace MlToolkit.Tests.Experiments;

/// <summary>The runner with synthetic objectives: budgets, cancellation, failures, storage and resume, parallelism, pruning.</summary>
public sealed class ExperimentRunnerTests
{
    private static readonly SearchSpace Space = TestObjectives.BraninSpace();

    private static StudyDefinition Study(SearchSpace? space = null, string data = "branin") =>
        new("default", "branin", Maximize: false, (space ?? Space).Describe(), data, "test");

    private static ExperimentRunner Runner(IExperimentStore store, RunnerSettings settings, TunerKind tuner = TunerKind.Random, IPruner? pruner = null, SearchSpace? space = null) =>
        new(store, Study(space), space ?? Space, () => Tuners.Create(tuner, space ?? Space, 11), pruner, settings);

    private static TrialOutcome Outcome(double value) => new(value, new[] { value }, new Dictionary<string, double>());

    [Fact]
    public void A_time_budget_cancels_a_trial_that_would_take_minutes()
    {
        using var store = new InMemoryExperimentStore();
        var clock = new ManualClock();
        var summary = Runner(store, new RunnerSettings { TimeBudget = TimeSpan.FromSeconds(2), Clock = clock }).Run((_, context) =>
        {
            // The trial runs past the budget on the runner's clock, then waits for minutes unless cancelled.
            clock.Advance(TimeSpan.FromSeconds(2.5));
            Task.Delay(TimeSpan.FromMinutes(5), context.CancellationToken).Wait(context.CancellationToken);
            return Outcome(0);
        });
        Assert.Equal(TimeSpan.FromSeconds(2.5), summary.Elapsed);
        Assert.Equal(StopReason.TimeBudget, summary.Reason);
        var trial = Assert.Single(summary.Trials);
        Assert.Equal(TrialState.Cancelled, trial.State);
        Assert.Equal("Stopped at the experiment's time budget.", trial.Error);
    }

    [Fact]
    public void A_cancellation_that_ml_net_wraps_in_its_own_exception_still_counts_as_cancelled()
    {
        using var store = new InMemoryExperimentStore();
        var summary = Runner(store, new RunnerSettings { TimeBudget = TimeSpan.FromSeconds(1) }).Run((_, context) =>
        {
            context.CancellationToken.WaitHandle.WaitOne(TimeSpan.FromMinutes(1));
            // What ML.NET's shuffling cursor throws when the data view under it is cancelled.
            throw new InvalidOperationException("Shuffle input cursor reader failed with an exception", new OperationCanceledException(context.CancellationToken));
        });
        var trial = Assert.Single(summary.Trials);
        Assert.Equal((TrialState.Cancelled, "Stopped at the experiment's time budget."), (trial.State, trial.Error));
    }

    [Fact]
    public void A_trial_that_ignores_cancellation_is_left_behind_after_the_grace_period()
    {
        using var store = new InMemoryExperimentStore();
        using var release = new ManualResetEventSlim();
        var clock = new ManualClock();
        var summary = Runner(store, new RunnerSettings { TimeBudget = TimeSpan.FromSeconds(1), StopGracePeriod = TimeSpan.FromSeconds(0.5), Clock = clock }).Run((_, context) =>
        {
            clock.Advance(TimeSpan.FromSeconds(1.5));
            // Asked to stop, it goes on: time passes on the runner's clock while the trial ignores its token, until the
            // runner gives up on it (after the grace period) and the test releases it.
            context.CancellationToken.WaitHandle.WaitOne();
            while (!release.Wait(10))
                clock.Advance(TimeSpan.FromMilliseconds(100));
            return Outcome(0);
        });
        release.Set();
        Assert.Equal(StopReason.TimeBudget, summary.Reason);
        Assert.Equal("Stopped at the experiment's time budget. It did not stop within the grace period and was left to finish in the background.", Assert.Single(summary.Trials).Error);
    }

    [Fact]
    public void The_caller_can_cancel_and_keeps_finished_trials()
    {
        using var store = new InMemoryExperimentStore();
        using var cancel = new CancellationTokenSource();
        var summary = Runner(store, new RunnerSettings()).Run((p, context) =>
        {
            // The fourth trial is where the caller gives up: cancelled from another thread while it waits, as Ctrl+C does.
            if (context.Number == 3)
                new Thread(() =>
                {
                    Thread.Sleep(200);
                    cancel.Cancel();
                }).Start();
            Task.Delay(context.Number == 3 ? TimeSpan.FromMinutes(5) : TimeSpan.Zero, context.CancellationToken).Wait(context.CancellationToken);
            return Outcome(TestObjectives.Branin(p));
        }, cancel.Token);
        Assert.Equal(StopReason.Cancelled, summary.Reason);
        Assert.Equal(new[] { TrialState.Complete, TrialState.Complete, TrialState.Complete, TrialState.Cancelled }, summary.Trials.Select(t => t.State));
        Assert.Equal("Cancelled by the caller.", summary.Trials[^1].Error);
    }

    [Fact]
    public void Timeouts_and_exceptions_fail_trials_with_their_reason()
    {
        using var store = new InMemoryExperimentStore();
        var summary = Runner(store, new RunnerSettings { MaxTrials = 3, TrialTimeout = TimeSpan.FromSeconds(0.3) }).Run((_, context) =>
        {
            if (context.Number == 1)
                throw new InvalidOperationException("boom");
            Task.Delay(context.Number == 0 ? TimeSpan.FromMinutes(1) : TimeSpan.Zero, context.CancellationToken).Wait(context.CancellationToken);
            return Outcome(double.NaN);
        });
        Assert.Equal(StopReason.MaxTrials, summary.Reason);
        Assert.Equal(new[] { "Exceeded the trial timeout of 0.3 s.", "InvalidOperationException: boom", "The metric is NaN." }, summary.Trials.Select(t => t.Error));
        Assert.All(summary.Trials, t => Assert.Equal(TrialState.Failed, t.State));
        Assert.Null(summary.Best);
        // The exception's stack trace stays with the failed trial, for whoever reads the storage later.
        var failure = System.Text.Json.Nodes.JsonNode.Parse(summary.Trials[1].Diagnostics!)!;
        Assert.Equal(("exception", "System.InvalidOperationException", "boom"), ((string?)failure["kind"], (string?)failure["type"], (string?)failure["message"]));
        Assert.Contains("at MlToolkit.Tests.Experiments.ExperimentRunnerTests", (string?)failure["stackTrace"]);
    }

    [Fact]
    public void A_resumed_study_continues_exactly_like_an_uninterrupted_one()
    {
        using var folder = new TempFolder();
        TrialOutcome Objective(ParameterSet p, TrialContext _) => Outcome(TestObjectives.Branin(p));
        using var memory = new InMemoryExperimentStore();
        var uninterrupted = Runner(memory, new RunnerSettings { MaxTrials = 12 }, TunerKind.Cfo).Run(Objective);

        using (var first = new SqliteExperimentStore(folder.File("exp.db")))
            Assert.Equal(7, Runner(first, new RunnerSettings { MaxTrials = 7 }, TunerKind.Cfo).Run(Objective).Trials.Count);
        using var second = new SqliteExperimentStore(folder.File("exp.db"));
        var resumed = Runner(second, new RunnerSettings { MaxTrials = 12 }, TunerKind.Cfo).Run(Objective);

        Assert.Equal(7, resumed.ResumedTrials);
        Assert.Equal(uninterrupted.Trials.Select(t => (t.Number, t.Configuration.ToJson(), t.Value)), resumed.Trials.Select(t => (t.Number, t.Configuration.ToJson(), t.Value)));
        Assert.Equal(uninterrupted.Best!.Number, resumed.Best!.Number);
    }

    [Fact]
    public void Unit_costs_make_a_cost_aware_tuner_independent_of_trial_speed()
    {
        var space = TestObjectives.Conditional();
        string History(bool unitCosts, int seed)
        {
            var jitter = new Random(seed);
            using var store = new InMemoryExperimentStore();
            var runner = new ExperimentRunner(store, Study(space), space, () => new CfoTuner(space, 3), settings: new RunnerSettings { MaxTrials = 30, UnitCosts = unitCosts });
            var summary = runner.Run((p, _) =>
            {
                // Trials of the same configuration take different times from run to run, as real ones do.
                Thread.Sleep(jitter.Next(1, 40));
                return Outcome(TestObjectives.Loss(p));
            });
            return string.Join("\n", summary.Trials.Select(t => t.Configuration.ToString()));
        }
        Assert.Equal(History(unitCosts: true, seed: 1), History(unitCosts: true, seed: 2));
        Assert.NotEqual(History(unitCosts: false, seed: 1), History(unitCosts: false, seed: 2));
    }

    [Fact]
    public void In_reproducible_order_parallel_trials_give_the_same_history_whichever_finishes_first()
    {
        var space = TestObjectives.Conditional();
        string History(int order)
        {
            using var store = new InMemoryExperimentStore();
            var settings = new RunnerSettings { MaxTrials = 16, ParallelTrials = 3, UnitCosts = true, ReproducibleOrder = true };
            var runner = new ExperimentRunner(store, Study(space), space, () => new TpeTuner(space, 3, startupTrials: 4), settings: settings);
            var summary = runner.Run((p, context) =>
            {
                // Run 0 finishes later trials first, run 1 earlier ones first: every finishing order differs.
                Thread.Sleep(order == 0 ? 60 - 3 * (context.Number % 4) * 5 : 5 + 15 * (context.Number % 4));
                return Outcome(TestObjectives.Loss(p));
            });
            return string.Join("\n", summary.Trials.Select(t => $"{t.Number} {t.Configuration}"));
        }
        Assert.Equal(History(0), History(1));
    }

    [Fact]
    public void A_trial_left_running_by_a_dead_process_is_marked_failed_and_retried_once()
    {
        using var folder = new TempFolder();
        var orphan = Space.Defaults();
        using (var ended = System.Diagnostics.Process.Start("true")!)
        {
            ended.WaitForExit();
            using var crashed = new SqliteExperimentStore(folder.File("exp.db"));
            crashed.OpenStudy(Study());
            crashed.StartTrial(Space, new TrialClaim($"{Environment.MachineName}:{ended.Id}:dead", DateTimeOffset.UtcNow), null, _ => orphan);
        }
        using var store = new SqliteExperimentStore(folder.File("exp.db"));
        var summary = Runner(store, new RunnerSettings { MaxTrials = 3 }).Run((p, _) => Outcome(TestObjectives.Branin(p)));
        Assert.Equal(TrialState.Failed, summary.Trials[0].State);
        Assert.Equal("The process ended while this trial was running.", summary.Trials[0].Error);
        Assert.Equal((TrialOrigin.Retry, 0, orphan), (summary.Trials[1].Origin, summary.Trials[1].RetryOf!.Value, summary.Trials[1].Configuration));
        Assert.Equal(TrialState.Complete, summary.Trials[1].State);
        // The failed trial was replaced by its retry, so it does not count towards the budget of 3.
        Assert.Equal(4, summary.Trials.Count);
    }

    [Fact]
    public void Storage_refuses_another_space_other_data_or_a_foreign_database()
    {
        using var folder = new TempFolder();
        using (var store = new SqliteExperimentStore(folder.File("exp.db")))
            Runner(store, new RunnerSettings { MaxTrials = 1 }).Run((p, _) => Outcome(1));
        using (var store = new SqliteExperimentStore(folder.File("exp.db")))
        {
            var other = new SearchSpace().Float("x1", -5, 10);
            var error = Assert.Throws<ExperimentStorageException>(() => store.OpenStudy(Study(other)));
            Assert.StartsWith($"Study 'default' in {folder.File("exp.db")} was created with a different search space", error.Message);
            error = Assert.Throws<ExperimentStorageException>(() => store.OpenStudy(Study(data: "other rows")));
            Assert.Equal($"Study 'default' in {folder.File("exp.db")} was run on other data or another evaluation (branin; now other rows), so its trials are not comparable. Use another study name or storage file, or the data and evaluation it was created with (the same rows, folds and repeats or holdout, and seed).", error.Message);
        }
        using (var foreign = new SqliteConnection($"Data Source={folder.File("app.db")}"))
        {
            foreign.Open();
            using var create = foreign.CreateCommand();
            create.CommandText = "CREATE TABLE customers(id INTEGER)";
            create.ExecuteNonQuery();
        }
        SqliteConnection.ClearAllPools();
        var refused = Assert.Throws<ExperimentStorageException>(() => new SqliteExperimentStore(folder.File("app.db")));
        Assert.Equal($"'{folder.File("app.db")}' is an SQLite database, but not an MlToolkit experiment store.", refused.Message);
        folder.Write("notes.db", "just text, not a database at all");
        Assert.StartsWith($"'{folder.File("notes.db")}' cannot be used as experiment storage:", Assert.Throws<ExperimentStorageException>(() => new SqliteExperimentStore(folder.File("notes.db"))).Message);
    }

    [Fact]
    public void Parallel_trials_overlap_and_share_the_threads()
    {
        using var store = new InMemoryExperimentStore();
        var threads = new List<int>();
        // Each trial waits at the barrier for a second one: only trials that run at the same time get through.
        using var bothRunning = new Barrier(2);
        var met = new List<bool>();
        var summary = Runner(store, new RunnerSettings { MaxTrials = 4, ParallelTrials = 2, Threads = 4 }).Run((p, context) =>
        {
            var together = bothRunning.SignalAndWait(TimeSpan.FromSeconds(30));
            lock (threads)
            {
                threads.Add(context.Threads);
                met.Add(together);
            }
            return Outcome(TestObjectives.Branin(p));
        });
        Assert.Equal(4, summary.Trials.Count(t => t.State == TrialState.Complete));
        Assert.Equal(new[] { true, true, true, true }, met);
        Assert.All(threads, t => Assert.Equal(2, t));
    }

    [Fact]
    public void The_memory_cap_stops_a_trial_that_grows_past_it()
    {
        using var store = new InMemoryExperimentStore();
        // The probe stands for the memory in use, so the test does not depend on the test host's own working set.
        var inUseMb = 300.0;
        var settings = new RunnerSettings { MaxTrials = 2, MemoryLimitMb = 500, MemoryProbe = () => Volatile.Read(ref inUseMb) };
        var summary = Runner(store, settings).Run((_, context) =>
        {
            if (context.Number == 0)
            {
                Volatile.Write(ref inUseMb, 900);
                Task.Delay(TimeSpan.FromMinutes(5), context.CancellationToken).Wait(context.CancellationToken);
            }
            Volatile.Write(ref inUseMb, 300);
            return Outcome(1);
        });
        Assert.Equal(new[] { TrialState.Failed, TrialState.Complete }, summary.Trials.Select(t => t.State));
        Assert.Equal("The process used 900 MiB, over the memory cap of 500 MiB.", summary.Trials[0].Error);
        Assert.Equal(900, summary.Trials[0].PeakMemoryMb);
    }

    [Fact]
    public void Asha_prunes_a_clearly_worse_trial_at_its_first_rung()
    {
        using var store = new InMemoryExperimentStore();
        var space = new SearchSpace().Float("quality", 0, 1);
        var runner = Runner(store, new RunnerSettings { MaxTrials = 2 }, pruner: new AshaPruner(), space: space);
        runner.Enqueue(space.Configuration(new Dictionary<string, ParameterValue> { ["quality"] = ParameterValue.Of(0.9) }));
        runner.Enqueue(space.Configuration(new Dictionary<string, ParameterValue> { ["quality"] = ParameterValue.Of(0.1) }));
        var summary = runner.Run((p, context) =>
        {
            var loss = 1.0;
            for (var step = 1; step <= 9; step++)
            {
                context.CancellationToken.ThrowIfCancellationRequested();
                loss *= 1 - p.GetDouble("quality") / 2;
                context.ReportIntermediate(step, loss);
            }
            return Outcome(loss);
        });
        Assert.Equal(TrialState.Complete, summary.Trials[0].State);
        Assert.Equal(9, summary.Trials[0].Intermediate.Count);
        Assert.Equal(TrialState.Pruned, summary.Trials[1].State);
        Assert.StartsWith("Pruned at step 1 ", summary.Trials[1].Error);
        Assert.Equal(new[] { 1 }, summary.Trials[1].Intermediate.Keys);
    }
}
