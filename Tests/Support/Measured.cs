using System.Globalization;
using System.Runtime.CompilerServices;

namespace MlToolkit.Tests.Support;

/// <summary>
/// Quality assertions whose bar sits just under what the code measurably reaches. Each call names the value the code
/// reached when the bar was set; with <c>MLTOOLKIT_MEASUREMENTS=FILE</c> every measurement is appended to FILE
/// (test, what, value, bar, recorded value), so the bars can be re-read after a change instead of guessed.
/// </summary>
public static class Measured
{
    /// <summary>Asserts <paramref name="value"/> ≥ <paramref name="floor"/>; <paramref name="reached"/> is the value measured when the floor was set.</summary>
    public static void AtLeast(double value, double floor, double reached, string what,
        [CallerMemberName] string test = "", [CallerFilePath] string file = "")
    {
        Record(test, file, what, value, floor, reached);
        Assert.True(value >= floor, $"{what}: {value.ToString("R", CultureInfo.InvariantCulture)} is below the floor {floor} (reached {reached} when it was set)");
    }

    /// <summary>Asserts <paramref name="value"/> ≤ <paramref name="ceiling"/>; <paramref name="reached"/> is the value measured when the ceiling was set.</summary>
    public static void AtMost(double value, double ceiling, double reached, string what,
        [CallerMemberName] string test = "", [CallerFilePath] string file = "")
    {
        Record(test, file, what, value, ceiling, reached);
        Assert.True(value <= ceiling, $"{what}: {value.ToString("R", CultureInfo.InvariantCulture)} is above the ceiling {ceiling} (reached {reached} when it was set)");
    }

    private static void Record(string test, string file, string what, double value, double bar, double reached)
    {
        if (Environment.GetEnvironmentVariable("MLTOOLKIT_MEASUREMENTS") is not { Length: > 0 } log)
            return;
        var line = string.Join('\t', Path.GetFileNameWithoutExtension(file), test, what,
            value.ToString("R", CultureInfo.InvariantCulture), bar.ToString(CultureInfo.InvariantCulture), reached.ToString(CultureInfo.InvariantCulture));
        lock (typeof(Measured))
            File.AppendAllText(log, line + Environment.NewLine);
    }
}
