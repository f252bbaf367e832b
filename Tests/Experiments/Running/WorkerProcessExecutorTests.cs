using System.Diagnostics;
using MlToolkit.Experiments.Running;
using MlToolkit.Experiments.Running.Workers;
using MlToolkit.Experiments.Storage;
using MlToolkit.Experiments.Tuning;
using MlToolkit.Experiments.Tuning.SearchSpaces;
using MlToolkit.Experiments.Tuning.Tuners;
using MlToolkit.Tests.Support;

namespace MlToolkit.Tests.Experiments.Running;

/// <summary>
/// The runner with real worker processes that misbehave: small shell scripts that speak (or stop speaking) the worker
/// protocol, so that each failure a real worker can have is produced on purpose. The real worker, the CLI's, is
/// tested in <c>WorkerReliabilityTests</c>.
/// </summary>
public sealed class WorkerProcessExecutorTests
{
    private static readonly SearchSpace Space = TestObjectives.BraninSpace();

    private static RunSummary Run(string script, RunnerSettings settings)
    {
        using var store = new InMemoryExperimentStore();
        var study = new StudyDefinition("default", "branin", false, Space.Describe(), "branin", "test");
        using var executor = new WorkerProcessExecutor(() => Shell(script));
        return new ExperimentRunner(store, study, Space, () => new RandomTuner(Space, 1), settings: settings).Run(executor);
    }

    private static ProcessStartInfo Shell(string script)
    {
        var start = new ProcessStartInfo("/bin/sh");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        return start;
    }

    private const string Ready = "echo '{\"kind\":\"ready\"}'";

    /// <summary>Reads each protocol line into <c>line</c> and the trial number it names into <c>n</c>.</summary>
    private const string EachLine = Ready + "; while read line; do n=$(echo \"$line\" | sed -n 's/.*\"number\":\\([0-9]*\\).*/\\1/p'); ";

    /// <summary>The outcome of trial <c>n</c>, with its number as the value.</summary>
    private const string Outcome = "echo \"{\\\"kind\\\":\\\"outcome\\\",\\\"number\\\":$n,\\\"value\\\":$n,\\\"folds\\\":[$n],\\\"metrics\\\":{}}\"";

    /// <summary>Answers each trial with its number as the value: the smallest worker that works.</summary>
    private const string Answering = EachLine + "[ -n \"$n\" ] && " + Outcome + "; done";

    [LinuxFact]
    public void A_worker_that_answers_completes_its_trials_and_lives_across_them()
    {
        var summary = Run(Answering, new RunnerSettings { MaxTrials = 3 });
        Assert.Equal(new double?[] { 0, 1, 2 }, summary.Trials.Select(t => t.Value));
        Assert.All(summary.Trials, t => Assert.Equal(TrialState.Complete, t.State));
    }

    [LinuxFact]
    public void A_worker_that_dies_fails_only_its_trial_with_its_exit_status_and_last_words_and_is_replaced()
    {
        // The first worker dies on its first trial; its replacement answers.
        using var folder = new TempFolder();
        var script = $"if mkdir '{folder.File("died-once")}' 2>/dev/null; then {Ready}; read line; echo 'native assertion failed: tensor.cpp:42' >&2; exit 3; fi; {Answering}";
        var summary = Run(script, new RunnerSettings { MaxTrials = 3 });
        Assert.Equal(TrialState.Failed, summary.Trials[0].State);
        Assert.Matches(@"^WorkerExitedException: The worker process \(pid \d+\) exited with code 3 while running trial 0\. Last lines of its standard error:\nnative assertion failed: tensor\.cpp:42$", summary.Trials[0].Error);
        Assert.Equal(new[] { TrialState.Complete, TrialState.Complete }, summary.Trials.Skip(1).Select(t => t.State));
    }

    [LinuxFact]
    public void A_worker_killed_with_signal_9_fails_its_trial_naming_the_signal()
    {
        var summary = Run($"{Ready}; read line; kill -9 $$", new RunnerSettings { MaxTrials = 1 });
        Assert.Matches(@"^WorkerExitedException: The worker process \(pid \d+\) was killed by signal 9 \(SIGKILL, e\.g\. kill -9 or the out-of-memory killer\) while running trial 0\. It wrote nothing to standard error\.$", summary.Trials[0].Error);
    }

    [LinuxFact]
    public void A_killed_worker_that_answered_its_cancellation_first_is_not_given_the_next_trial()
    {
        // Leaves trial 0 running and answers a cancellation at once, as an MLP does between two batches, so that its
        // trial ends before the kill that follows the cancellation lands (the runner's memory cap: cancel, then kill).
        const string script = EachLine + "case \"$line\" in *'\"kind\":\"cancel\"'*) echo \"{\\\"kind\\\":\\\"failed\\\",\\\"number\\\":$n,\\\"cancelled\\\":true}\";; " +
            "*) [ \"$n\" != 0 ] && " + Outcome + ";; esac; done";
        using var executor = new WorkerProcessExecutor(() => Shell(script));
        using var cancel = new CancellationTokenSource();
        var first = executor.Start(Trial(0), new TrialContext(0, 1, cancel.Token, (_, _) => { }));
        Assert.True(first.Evaluating!.Wait(TimeSpan.FromMinutes(1)), "trial 0 was never sent");
        cancel.Cancel();
        Assert.True(EndsWithinAMinute(first.Work), "trial 0 never ended");
        Assert.True(first.Work.IsCanceled);
        first.Kill!();

        var second = executor.Start(Trial(1), new TrialContext(1, 1, CancellationToken.None, (_, _) => { }));

        Assert.True(EndsWithinAMinute(second.Work), "trial 1 never ended");
        Assert.Equal(1, second.Work.Result.Value);
        Assert.Equal(2, executor.WorkersStarted);
    }

    /// <summary>Whether the task ends (in any state) within a minute; unlike <c>Wait</c>, a cancelled task does not throw.</summary>
    private static bool EndsWithinAMinute(Task task) => ((IAsyncResult)task).AsyncWaitHandle.WaitOne(TimeSpan.FromMinutes(1));

    private static TrialRecord Trial(int number) =>
        new() { Number = number, Configuration = Space.Defaults(), State = TrialState.Running };

    [LinuxFact]
    public void A_worker_that_ignores_cancellation_is_killed_after_the_grace_period()
    {
        // Says it is ready, then never answers: a native trainer that does not look at its cancellation token.
        var summary = Run($"{Ready}; sleep 600", new RunnerSettings { MaxTrials = 1, TrialTimeout = TimeSpan.FromSeconds(0.3), StopGracePeriod = TimeSpan.FromSeconds(0.3) });
        Assert.Equal(TrialState.Failed, summary.Trials[0].State);
        Assert.Equal("Exceeded the trial timeout of 0.3 s. It did not stop within 0.3 s, so its worker process was killed.", summary.Trials[0].Error);
    }

    [LinuxFact]
    public void A_trial_error_in_the_worker_keeps_its_type_message_and_stack_trace()
    {
        var failed = "{\"kind\":\"failed\",\"number\":0,\"cancelled\":false,\"errorType\":\"SchemaException\",\"message\":\"Column x is missing.\",\"details\":\"SchemaException: Column x is missing.\\n   at Loader.Load()\"}";
        var summary = Run($"{Ready}; read line; printf '%s\\n' '{failed}'; read line", new RunnerSettings { MaxTrials = 1 });
        Assert.Equal("SchemaException: Column x is missing.", summary.Trials[0].Error);
        Assert.Contains("at Loader.Load()", summary.Trials[0].Diagnostics);
    }
}
