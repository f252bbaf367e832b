using MlToolkit.Data.IO;

namespace MlToolkit.Data.Delimited;

/// <summary>Which of tab, comma, semicolon and pipe separates a file's fields, judged from its first lines.</summary>
internal static class SeparatorDetection
{
    private static readonly char[] Candidates = { '\t', ',', ';', '|' };

    /// <summary>How many lines are read to judge the separator and the title above the table.</summary>
    private const int SampledLines = 30;

    /// <summary>The first lines of <paramref name="source"/>, blank ones included, so that indexes are lines of the file.</summary>
    public static List<string> FirstLines(TextSource source)
    {
        var lines = new List<string>();
        using var reader = source.OpenReader();
        while (lines.Count < SampledLines && reader.ReadLine() is { } line)
            lines.Add(line);
        return lines;
    }

    /// <summary>Whether <paramref name="head"/>, read by <see cref="FirstLines"/>, holds the whole file.</summary>
    public static bool IsWholeFile(IReadOnlyList<string> head) => head.Count < SampledLines;

    /// <summary>
    /// <paramref name="head"/> without the footer below its table (<see cref="FooterLines"/>) when it holds the whole
    /// file, so that a short report's closing lines judge neither its separator nor its title.
    /// </summary>
    public static IReadOnlyList<string> WithoutFooter(IReadOnlyList<string> head, char separator) =>
        IsWholeFile(head) && FooterLines.Find(head, separator) is { } footer ? head.Take(footer.Start).ToList() : head;

    /// <summary>
    /// The separator that splits every sampled line below any title (<see cref="TitleLines"/>) into the same number (> 1)
    /// of fields, the most fields winning; tab may leave lines ragged.
    /// </summary>
    public static char Detect(IReadOnlyList<string> head)
    {
        var lines = head.Where(l => l.Length > 0).Take(20).ToList();
        if (lines.Count == 0)
            return ',';
        var best = ',';
        var bestFields = 1;
        foreach (var candidate in Candidates)
        {
            var above = WithoutFooter(head, candidate);
            var table = above.Skip(TitleLines.Count(above, candidate)).Where(l => l.Length > 0).Take(20).ToList();
            var counts = table.Select(l => CountOutsideQuotes(l, candidate) + 1).Distinct().ToList();
            var fields = counts.Count == 1 ? counts[0] : counts.Min();
            if (fields > bestFields && (counts.Count == 1 || candidate == '\t'))
            {
                best = candidate;
                bestFields = fields;
            }
        }
        return bestFields == 1 ? SingleColumnSeparator(lines) : best;
    }

    /// <summary>
    /// For a file of one column: a comma, unless its first line has none and later lines do (free text such as reviews
    /// to score, which commas would split); then the first candidate no sampled line contains.
    /// </summary>
    private static char SingleColumnSeparator(List<string> lines) =>
        CountOutsideQuotes(lines[0], ',') == 0 && lines.Any(l => CountOutsideQuotes(l, ',') > 0)
            ? Candidates.FirstOrDefault(c => lines.All(l => CountOutsideQuotes(l, c) == 0), ',')
            : ',';

    /// <summary>Separators in <paramref name="line"/> outside double quotes (tab-separated text has no quoting).</summary>
    private static int CountOutsideQuotes(string line, char separator) => LineShape.Of(line, separator).Separators;
}
