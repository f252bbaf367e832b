using System.Globalization;
using System.Text;

namespace MlToolkit.Tests.Support;

/// <summary>Tables whose label, <c>busy</c>, says whether the date in <c>when</c> falls on a weekend, beside a column of noise.</summary>
public static class WeekendTables
{
    /// <summary>One row per day from <paramref name="first"/> (those <paramref name="keep"/> keeps), the date written with <paramref name="format"/>.</summary>
    public static string Days(string format, DateTime first, int days, Func<DateTime, bool>? keep = null)
    {
        var random = new Random(days);
        var text = new StringBuilder("when,noise,busy\n");
        foreach (var day in Enumerable.Range(0, days).Select(i => first.AddDays(i)).Where(keep ?? (_ => true)))
        {
            var weekend = day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
            text.Append(CultureInfo.InvariantCulture, $"{day.ToString(format, CultureInfo.InvariantCulture)},{random.NextDouble():0.000},{(weekend ? "yes" : "no")}\n");
        }
        return text.ToString();
    }
}
