using System.Globalization;

namespace MlToolkit.Data.Delimited;

/// <summary>
/// Lines above a table that are no part of it: report exports often open with a title or an "Exported on …" line before
/// the header. The table is the first line of two or more filled fields from which every sampled line has the same
/// number of fields, three or more. The lines above it are a title when each holds at most one filled field (Excel pads
/// a title row with empty fields to the table's width when it saves a sheet as CSV) or has at least two fields fewer
/// than the table; blank lines may sit among them. One field fewer is not enough: that is a header lacking its row-name
/// column, as R's <c>write.table</c> writes.
/// </summary>
internal static class TitleLines
{
    /// <summary>At most this many lines above a table are taken for its title.</summary>
    public const int MaxLines = 10;

    /// <summary>Lines below the header that must have its width, so that a table is not guessed from one row.</summary>
    private const int RowsThatMustAgree = 2;

    /// <summary>
    /// How many of <paramref name="head"/> (a file's first lines, blank ones included) are a title above a table
    /// separated by <paramref name="separator"/>; 0 when there is none.
    /// </summary>
    public static int Count(IReadOnlyList<string> head, char separator)
    {
        var shapes = head.Select(l => LineShape.Of(l, separator)).ToList();
        for (var start = 0; start <= MaxLines && start < shapes.Count; start++)
        {
            if (shapes[start].Filled < 2)
                continue;
            var table = shapes.Skip(start).Where(s => !s.Blank).ToList();
            if (table.Count < 1 + RowsThatMustAgree)
                return 0;
            if (table.All(s => s.Separators == shapes[start].Separators))
                return IsTitle(shapes.Take(start).Where(s => !s.Blank).ToList(), shapes[start].Separators) ? start : 0;
        }
        return 0;
    }

    private static bool IsTitle(List<LineShape> above, int tableSeparators) =>
        tableSeparators >= 2 && above.Count > 0 && above.All(s => s.Filled <= 1 || s.Separators <= tableSeparators - 2);

    /// <summary>What the user is told when inference left <paramref name="count"/> title lines out.</summary>
    public static string Warning(string source, IReadOnlyList<string> head, int count, char separator)
    {
        var first = head.First(l => !LineShape.Of(l, separator).Blank).TrimEnd(separator, ' ').Trim();
        var lines = count == 1 ? "line 1 above the table was" : $"lines 1-{count} above the table were";
        return string.Create(CultureInfo.InvariantCulture, $"{source}: {lines} read as a title and left out ('{first}'); "
            + $"the table starts on line {count + 1}. If they are data, give --title-lines 0 (DelimitedLoadOptions.TitleLines = 0)");
    }
}
