using System.Globalization;

namespace MlToolkit.Experiments.Storage;

/// <summary>
/// A writer's identity in a shared study, <c>host:pid:run</c>: enough to tell, on the same host, that the process
/// holding a trial has ended (so its trials fail at once instead of after the heartbeat grace period).
/// </summary>
public static class TrialOwner
{
    /// <summary>A new identity for a runner of this process.</summary>
    public static string NewForThisProcess() =>
        string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}");

    /// <summary>True when <paramref name="owner"/> names a process of this host that no longer runs.</summary>
    public static bool IsGone(string owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var parts = owner.Split(':');
        if (parts.Length < 2 || parts[0] != Environment.MachineName || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            return false;
        if (pid == Environment.ProcessId)
            return false;
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }
}
