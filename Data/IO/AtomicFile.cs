namespace MlToolkit.Data.IO;

/// <summary>
/// Writes a file through a temporary beside it that replaces the target only when complete: a write that fails leaves
/// the target as it was (an earlier model, earlier predictions) and no temporary behind. Temporaries are named
/// <c>.NAME.PID.GUID.tmp</c>, so two processes writing the same file never share one, and those of a process killed
/// mid-write are removed by the next write to that file.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> with <paramref name="write"/>, which gets the temporary's stream.</summary>
    /// <param name="path">The file to write or replace; its folder is created if missing.</param>
    /// <param name="write">Writes the content; an exception from it leaves <paramref name="path"/> untouched.</param>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        RemoveStaleTemporaries(folder, Path.GetFileName(full));
        var temporary = Path.Combine(folder, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
                write(file);
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
                File.Delete(temporary);
        }
    }

    /// <summary>Deletes temporaries of earlier writes to the same file whose process is gone; those of a live process (a write running now) are left alone.</summary>
    private static void RemoveStaleTemporaries(string folder, string name)
    {
        foreach (var file in Directory.EnumerateFiles(folder, $".{name}.*.tmp"))
        {
            var middle = Path.GetFileName(file)[(name.Length + 2)..^4].Split('.');
            if (middle.Length != 2 || !int.TryParse(middle[0], out var pid) || IsRunning(pid))
                continue;
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
                // Another process may be removing it at the same moment; either way it is gone or harmless.
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
