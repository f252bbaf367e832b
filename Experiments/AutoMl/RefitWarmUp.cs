using System.Diagnostics;
using Microsoft.ML;
using MlToolkit.Experiments.Candidates;

namespace MlToolkit.Experiments.AutoMl;

/// <summary>
/// Fits every candidate once on a small sample in this process while the trials run in worker processes, so that
/// the refits after the search do not pay for loading libtorch and LightGBM and for JIT-compiling the trainers. That
/// start-up took 3.1 s on pima_diabetes at the end of a 30 s run, and blends whose first member's refit carried it
/// were dropped for lack of time. The process is otherwise idle during the search.
/// </summary>
internal sealed class RefitWarmUp : IDisposable
{
    /// <summary>Rows the warm-up fits on: enough for every trainer to take its usual code path.</summary>
    public const int SampleRows = 200;

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _work;

    private RefitWarmUp(IReadOnlyList<TrialCandidate> candidates, Action<TrialCandidate, CancellationToken> fitSample)
    {
        _work = Task.Factory.StartNew(() => WarmAll(candidates, fitSample, _stop.Token), _stop.Token,
            TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>
    /// Whether a run warms up: when its trials run in worker processes, it refits, and the trials are cross-validated
    /// (small data). On a holdout of large data the warm-up's share of the two cores slows the first trials, whose
    /// length sizes the refit reserve: on shuttle (46,000 training rows) the first L-BFGS trial took 10.8 s instead of
    /// 7.8 s, the search stopped at 16.7 s and kept 3 trials instead of 7 (0.970 instead of 0.9999 held out).
    /// </summary>
    public static bool Wanted(bool trialsInWorkers, bool refits, int folds) => trialsInWorkers && refits && folds > 1;

    /// <summary>
    /// Starts fitting each of <paramref name="candidates"/> with <paramref name="fitSample"/> on a background thread.
    /// </summary>
    public static RefitWarmUp Start(IReadOnlyList<TrialCandidate> candidates, Action<TrialCandidate, CancellationToken> fitSample)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(fitSample);
        return new RefitWarmUp(candidates, fitSample);
    }

    /// <summary>
    /// A sample of <see cref="SampleRows"/> rows of <paramref name="data"/>, shuffled so that most classes appear.
    /// </summary>
    public static IDataView Sample(MLContext mlContext, IDataView data, int seed) =>
        mlContext.Data.Cache(mlContext.Data.TakeRows(mlContext.Data.ShuffleRows(data, seed), SampleRows));

    /// <summary>
    /// Stops what is left of the warm-up and waits for the fit in progress, so that the refits have the process to
    /// themselves.
    /// </summary>
    public void Finish()
    {
        _stop.Cancel();
        try
        {
            _work.Wait();
        }
        catch (AggregateException)
        {
            // Cancelled before it started; the fits' own failures are caught in WarmAll.
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Finish();
        _stop.Dispose();
    }

    private static void WarmAll(IReadOnlyList<TrialCandidate> candidates, Action<TrialCandidate, CancellationToken> fitSample,
        CancellationToken stop)
    {
        foreach (var candidate in candidates)
        {
            if (stop.IsCancellationRequested)
                return;
            try
            {
                fitSample(candidate, stop);
            }
            catch (Exception error)
            {
                // A sample too small for a trainer only leaves its start-up to the refit; trials report real failures.
                Trace.TraceInformation($"Warming up {candidate.Name} for the refit failed: {error.Message}");
            }
        }
    }
}
