namespace MlToolkit.Experiments.Running;

/// <summary>Time elapsed since a start, read from the runner's <see cref="TimeProvider"/> (real or a test's).</summary>
internal sealed class RunClock(TimeProvider time)
{
    private readonly long _start = time.GetTimestamp();

    public TimeSpan Elapsed => time.GetElapsedTime(_start);
}
