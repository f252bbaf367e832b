using System.Diagnostics;
using System.Globalization;
using MlToolkit.Experiments.AutoMl;
using MlToolkit.Experiments.Running;
using MlToolkit.Experiments.Storage;
using MlToolkit.Experiments.Tuning;
using MlToolkit.Experiments.Tuning.SearchSpaces;
using MlToolkit.Experiments.Tuning.Tuners;

namespace MlToolkit.Bench;

/// <summary>
/// Trials per second of one study shared by N writer processes, each an <see cref="ExperimentRunner"/> with one trial
/// at a time, on a cheap objective: a fixed amount of arithmetic, calibrated to take the given time on one idle core (so
/// that writers beyond the core count share the cores rather than each burning a wall-clock slice). Throughput is trials
/// over the span from the first trial's start to the last one's end, read from the store (process start-up is not counted).
/// </summary>
internal static class SharedStudyThroughput
{
    private static readonly SearchSpace Space = new SearchSpace().Float("x", -5, 5).Float("y", -5, 5);

    /// <summary><c>shared-study --storage S [--writers 1,2,4,8] [--trials 200] [--work-ms 20]</c>: one row per writer count.</summary>
    public static int Run(string storage, int[] writers, int trials, int workMs)
    {
        var iterations = Calibrate(workMs);
        Console.WriteLine($"storage {Describe(storage)}; {trials} trials of {workMs} ms of CPU work each ({iterations:N0} iterations); {Environment.ProcessorCount} cores");
        Console.WriteLine("| writers | trials/s | × one writer | same work, no store: trials/s | ratio to no store |");
        Console.WriteLine("|---|---|---|---|---|");
        double? single = null;
        foreach (var count in writers)
        {
            var study = $"bench-{count}-{Guid.NewGuid():N}"[..24];
            // Every writer starts its first trial at the same moment, after its own start-up (runtime, store connection).
            var startAt = DateTime.UtcNow.AddSeconds(4 + count * 1.5).Ticks;
            var children = Enumerable.Range(0, count).Select(_ => StartWriter(storage, study, trials, iterations, startAt)).ToList();
            foreach (var child in children)
            {
                child.WaitForExit();
                if (child.ExitCode != 0)
                    throw new InvalidOperationException($"a writer failed: {child.StandardError.ReadToEnd()}");
            }
            using var store = (SqlExperimentStore)AutoMlExperiment.OpenStore(storage);
            var stored = store.ReadStudy(study).Trials;
            if (stored.Count != trials || stored.Any(t => t.State != TrialState.Complete))
                throw new InvalidOperationException($"{stored.Count} trials stored, {stored.Count(t => t.State != TrialState.Complete)} not complete; expected {trials} complete.");
            var span = stored.Max(t => t.Started + t.Duration) - stored.Min(t => t.Started);
            var rate = trials / span.TotalSeconds;
            single ??= rate;
            var ceiling = WithoutStore(count, trials, iterations);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {count} | {rate:0.0} | {rate / single.Value:0.00} | {ceiling:0.0} | {rate / ceiling:0.00} |"));
        }
        return 0;
    }

    /// <summary>
    /// What the machine itself allows: the same trials' work split between <paramref name="processes"/> processes with no
    /// store and no runner, timed from the first one's start of work to the last one's end (each prints its span).
    /// </summary>
    private static double WithoutStore(int processes, int trials, long iterations)
    {
        var children = Enumerable.Range(0, processes)
            .Select(p => Start("shared-study-baseline", "--units", (trials / processes + (p < trials % processes ? 1 : 0)).ToString(CultureInfo.InvariantCulture),
                "--work-iterations", iterations.ToString(CultureInfo.InvariantCulture))).ToList();
        var spans = children.Select(child =>
        {
            var line = child.StandardOutput.ReadToEnd().Trim().Split(' ').Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            child.WaitForExit();
            return (Start: line[0], End: line[1]);
        }).ToList();
        return trials / TimeSpan.FromTicks(spans.Max(s => s.End) - spans.Min(s => s.Start)).TotalSeconds;
    }

    /// <summary>One process of <see cref="WithoutStore"/>: does the work and prints when it started and ended (UTC ticks).</summary>
    public static int Baseline(int units, long iterations)
    {
        var start = DateTime.UtcNow.Ticks;
        for (var i = 0; i < units; i++)
            Work(iterations);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{start} {DateTime.UtcNow.Ticks}"));
        return 0;
    }

    /// <summary>One writer process: runs trials of the study until the store says the cap is reached.</summary>
    public static int Writer(string storage, string study, int trials, long iterations, long startAtTicks)
    {
        // Warm up first, as a writer that has run for a while is: the runtime compiles the runner's and the store's
        // code to its optimized tier over the first tens of trials, on a background thread that would otherwise compete
        // with the other writers' trials.
        Study(storage, $"{study}-warmup-{Environment.ProcessId}", 60, 0);
        var wait = new DateTime(startAtTicks, DateTimeKind.Utc) - DateTime.UtcNow;
        if (wait > TimeSpan.Zero)
            Thread.Sleep(wait);
        Study(storage, study, trials, iterations);
        return 0;
    }

    private static void Study(string storage, string study, int trials, long iterations)
    {
        using var store = AutoMlExperiment.OpenStore(storage);
        var definition = new StudyDefinition(study, "loss", false, Space.Describe(), "bench", "shared-study");
        var runner = new ExperimentRunner(store, definition, Space, () => new RandomTuner(Space, Environment.ProcessId),
            settings: new RunnerSettings { MaxTrials = trials, Threads = 1 });
        runner.Run((configuration, _) =>
        {
            var loss = Math.Pow(configuration.GetDouble("x") - 1, 2) + Math.Pow(configuration.GetDouble("y") + 2, 2) + Work(iterations) * 0;
            return new TrialOutcome(loss, new[] { loss }, new Dictionary<string, double>());
        });
    }

    private static double Work(long iterations)
    {
        var sum = 0.0;
        for (var i = 0L; i < iterations; i++)
            sum += Math.Sqrt(sum + i);
        return sum;
    }

    /// <summary>Iterations of <see cref="Work"/> that take <paramref name="milliseconds"/> on this core, the best of five tries.</summary>
    private static long Calibrate(int milliseconds)
    {
        const long probe = 2_000_000;
        Work(probe);
        var best = Enumerable.Range(0, 5).Min(_ =>
        {
            var clock = Stopwatch.StartNew();
            Work(probe);
            return clock.Elapsed.TotalMilliseconds;
        });
        return (long)(probe * milliseconds / best);
    }

    private static Process StartWriter(string storage, string study, int trials, long iterations, long startAt) =>
        Start("shared-study-writer", "--storage", storage, "--study", study, "--trials", trials.ToString(CultureInfo.InvariantCulture),
            "--work-iterations", iterations.ToString(CultureInfo.InvariantCulture), "--start-at", startAt.ToString(CultureInfo.InvariantCulture));

    private static Process Start(params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardError = true, RedirectStandardOutput = true };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
            start.ArgumentList.Add(typeof(SharedStudyThroughput).Assembly.Location);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        return Process.Start(start)!;
    }

    private static string Describe(string storage) => PostgresConnectionString.IsPostgres(storage)
        ? PostgresConnectionString.Describe(PostgresConnectionString.Parse(storage))
        : "SQLite " + storage;
}
