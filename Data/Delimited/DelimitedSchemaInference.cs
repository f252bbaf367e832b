using System.Globalization;
using MlToolkit.Data.IO;

namespace MlToolkit.Data.Delimited;

/// <summary>
/// Infers separator, header, column kinds and purposes from the first rows of a delimited file, the way
/// ML.NET AutoML's <c>InferColumns</c> does, and reports its evidence (<see cref="ColumnStatistics"/>).
/// </summary>
public static class DelimitedSchemaInference
{
    /// <summary>A numeric column may have this share of unparseable values in the sample; reading them later is an error, not a silent text column.</summary>
    private const double NumericShare = 0.95;

    /// <summary>Infers the schema of <paramref name="source"/>.</summary>
    /// <exception cref="DataFormatException">The file is empty, has no data rows, or is malformed.</exception>
    /// <exception cref="SchemaException">An override names a column the file does not have.</exception>
    public static DelimitedSchema Infer(TextSource source, DelimitedLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        options ??= new DelimitedLoadOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.InferenceRows, 1, nameof(options.InferenceRows));
        if (options.TitleLines is < 0)
            throw new ArgumentOutOfRangeException(nameof(options), options.TitleLines, "DelimitedLoadOptions.TitleLines must be 0 or more.");
        if (options.FooterLines is < 0)
            throw new ArgumentOutOfRangeException(nameof(options), options.FooterLines, "DelimitedLoadOptions.FooterLines must be 0 or more.");

        var head = SeparatorDetection.FirstLines(source);
        var separator = options.Separator ?? SeparatorDetection.Detect(head);
        // A head that holds the whole file holds its footer too, which the title rule must not see.
        var footerInHead = SeparatorDetection.IsWholeFile(head) ? FooterLines.Find(head, separator) : null;
        var ends = new FileEnds(separator, options.AllowQuoting ?? separator != '\t',
            options.TitleLines ?? TitleLines.Count(footerInHead is null ? head : head.Take(footerInHead.Start).ToList(), separator), options.FooterLines ?? 0);
        var footer = options.FooterLines is not null ? null
            : SeparatorDetection.IsWholeFile(head) ? footerInHead : FindFooterAtEnd(source, head, separator, ends.TitleLines);
        var (schema, sparseRows) = InferTable(source, options, head, ends with { FooterLines = footer?.Records ?? ends.FooterLines });
        if (footer is null)
            return schema;
        var confirmed = FooterLines.Confirm(footer, schema.Columns, (c, v) => ReadsAs(c, v, schema.Format.DecimalSeparator, options.MissingValueTokens), sparseRows, separator);
        if (confirmed?.Records != footer.Records)
            schema = InferTable(source, options, head, ends with { FooterLines = confirmed?.Records ?? 0 }).Schema;
        return confirmed is null ? schema : schema with { Warnings = schema.Warnings.Append(FooterLines.Warning(source.Name, confirmed, separator)).ToList() };
    }

    // The end of a compressed file is read through, so a table too narrow for a footer (text and its label) skips that.
    private static FooterBlock? FindFooterAtEnd(TextSource source, IReadOnlyList<string> head, char separator, int titleLines)
    {
        var header = head.Skip(titleLines).FirstOrDefault(l => !LineShape.Of(l, separator).Blank);
        return header is not null && LineShape.Of(header, separator).Separators >= FooterLines.MinTableSeparators
            ? FooterLines.Find(source.LastLines(FooterLines.TailLines), separator) : null;
    }

    /// <summary>Separator, quoting and the lines above and below the table, settled before its rows are read.</summary>
    private sealed record FileEnds(char Separator, bool AllowQuoting, int TitleLines, int FooterLines);

    /// <summary>The schema read from the rows between the title and the footer, and whether some row has at most one filled field.</summary>
    private static (DelimitedSchema Schema, bool SparseRows) InferTable(TextSource source, DelimitedLoadOptions options, IReadOnlyList<string> head, FileEnds ends)
    {
        var records = ReadSample(source, ends, options.InferenceRows + 1);
        if (records.Count == 0)
            throw new DataFormatException(source.Name, "the file is empty; expected a header row and data rows");

        var first = records[0];
        var hasHeader = options.HasHeader ?? LooksLikeHeader(first, records.Skip(1).ToList(), options);
        var data = hasHeader ? records.Skip(1).ToList() : records;
        if (data.Count == 0)
            throw new DataFormatException(source.Name, "the file has a header row but no data rows");

        var width = first.Fields.Length;
        foreach (var record in data)
        {
            if (record.Fields.Length != width)
                throw FieldCountError(source.Name, record.Line, width, record.Fields.Length, hasHeader);
        }

        var names = ColumnNames(first.Fields, hasHeader);
        var decimalMark = options.DecimalSeparator ?? DetectDecimalMark(ends.Separator, data, width, options.MissingValueTokens);
        var columns = new List<DelimitedColumn>(width);
        var statistics = new Dictionary<string, ColumnStatistics>(StringComparer.Ordinal);
        var warnings = new List<string>();
        if (ends.TitleLines > 0 && options.TitleLines is null)
            warnings.Add(TitleLines.Warning(source.Name, head, ends.TitleLines, ends.Separator));
        for (var i = 0; i < width; i++)
        {
            var stats = Measure(data.Select(r => r.Fields[i]), options.MissingValueTokens, decimalMark);
            statistics[names[i]] = stats;
            columns.Add(Classify(names[i], i, stats));
            if (columns[i].Kind == ColumnKind.Text && stats.Present > 0 && stats.Numeric >= 0.5 * stats.Present)
                warnings.Add(MostlyNumericWarning(source.Name, names[i], stats, data.Select(r => (r.Line, r.Fields[i])), options.MissingValueTokens, decimalMark));
            if (stats.AmbiguousDates && !options.DateOrders.Keys.Contains(names[i], StringComparer.OrdinalIgnoreCase))
                warnings.Add(AmbiguousDatesWarning(source.Name, names[i], data.Select(r => r.Fields[i]).First(f => !IsMissing(f, options.MissingValueTokens))));
        }

        foreach (var (name, kind) in options.ColumnKinds)
        {
            var index = IndexOf(columns, name, "given a type override", source.Name);
            columns[index] = Overridden(columns[index], kind, statistics[columns[index].Name]);
        }
        foreach (var (name, order) in options.DateOrders)
        {
            var index = IndexOf(columns, name, "given a date order", source.Name);
            columns[index] = new DelimitedColumn(columns[index].Name, index, ColumnKind.Text, ColumnPurpose.DateTime) { DateOrder = order };
        }
        var format = new DelimitedFormat(ends.Separator, hasHeader, ends.AllowQuoting, decimalMark)
        {
            Sheet = options.Sheet, TitleLines = ends.TitleLines, FooterLines = ends.FooterLines,
        };
        var sparseRows = data.Any(r => r.Fields.Count(f => f.Trim().Length > 0) <= 1);
        return (new DelimitedSchema(format, columns, statistics, data.Count) { Warnings = warnings }, sparseRows);
    }

    /// <summary>Whether <paramref name="column"/> can hold <paramref name="value"/>: any text, or a number, Boolean or date as its kind asks, or a missing value.</summary>
    private static bool ReadsAs(DelimitedColumn column, string value, char decimalMark, IReadOnlySet<string> missingTokens) =>
        IsMissing(value, missingTokens) || column switch
        {
            { Kind: ColumnKind.Numeric } => TryParseNumber(value, decimalMark, out _),
            { Kind: ColumnKind.Boolean } => TryParseBoolean(value, out _),
            { Purpose: ColumnPurpose.DateTime } => DateText.TryParse(value.AsSpan().Trim(), column.DateOrder, out _),
            _ => true,
        };

    /// <summary>The index of the column an option names (<paramref name="what"/>, for the error), matched ignoring case.</summary>
    private static int IndexOf(List<DelimitedColumn> columns, string name, string what, string source)
    {
        var index = columns.FindIndex(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));
        return index >= 0 ? index
            : throw new SchemaException($"Column '{name}' {what} is not in {source}. Columns: {string.Join(", ", columns.Select(c => c.Name))}.");
    }

    private static string AmbiguousDatesWarning(string source, string column, string example) =>
        $"{source}: column '{column}' holds dates that read both month first and day first (such as '{example}'), so it is read as text; "
        + $"say which with --column-type {column}=monthfirst or {column}=dayfirst (DelimitedLoadOptions.DateOrders)";

    /// <summary>
    /// <paramref name="column"/> read as <paramref name="kind"/> because the user said so. A type given is a decision
    /// inference does not second-guess: a column given one is never an identifier, and text asked of a date column is
    /// what it would be without date reading (categories or free text).
    /// </summary>
    private static DelimitedColumn Overridden(DelimitedColumn column, ColumnKind kind, ColumnStatistics stats) => column switch
    {
        { Purpose: ColumnPurpose.DateTime or ColumnPurpose.Identifier, Kind: ColumnKind.Text } when kind == ColumnKind.Text =>
            column with { Purpose = CategoricalOrText(stats) },
        { Purpose: ColumnPurpose.Identifier, Kind: ColumnKind.Numeric } when kind == ColumnKind.Numeric => column with { Purpose = ColumnPurpose.Numeric },
        _ when column.Kind == kind => column,
        _ => DelimitedColumn.OfKind(column.Name, column.Index, kind),
    };

    /// <summary>
    /// A decimal comma: the separator is not a comma, and some column's values read as numbers only when a comma is
    /// the decimal mark (<c>5,1;3,5</c>), while no value of the sample needs a dot for that.
    /// </summary>
    private static char DetectDecimalMark(char separator, List<SampledRecord> data, int width, IReadOnlySet<string> missingTokens)
    {
        if (separator == ',')
            return '.';
        var commaColumns = 0;
        for (var i = 0; i < width; i++)
        {
            var values = data.Select(r => r.Fields[i]).Where(v => !IsMissing(v, missingTokens)).ToList();
            if (values.Count == 0)
                continue;
            // Plain numbers only: "0,125" is a decimal comma here, not 125 with its thousands grouped.
            var withDot = values.Count(v => TryParseNumber(v, '.', written: false, out _));
            var withComma = values.Count(v => TryParseNumber(v, ',', written: false, out _));
            if (withDot >= NumericShare * values.Count && values.Any(v => v.Contains('.', StringComparison.Ordinal)))
                return '.';
            if (withComma >= NumericShare * values.Count && withDot < NumericShare * values.Count)
                commaColumns++;
        }
        return commaColumns > 0 ? ',' : '.';
    }

    private static string MostlyNumericWarning(string source, string column, ColumnStatistics stats, IEnumerable<(long Line, string Value)> values,
        IReadOnlySet<string> missingTokens, char decimalMark)
    {
        var (line, value) = values.First(v => !IsMissing(v.Value, missingTokens) && !TryParseNumber(v.Value, decimalMark, out _));
        return string.Create(CultureInfo.InvariantCulture,
            $"{source}: column '{column}' holds numbers in {stats.Numeric} of {stats.Present} sampled rows but was read as text (line {line} has '{value}'); if it is a measurement, fix those values, declare them missing (--missing-values {value}) or read it as a number (--column-type {column}=numeric).");
    }

    internal static DataFormatException FieldCountError(string source, long line, int expected, int found, bool hasHeader) =>
        new(source, string.Create(CultureInfo.InvariantCulture,
            $"expected {expected} fields ({(hasHeader ? "as in the header" : "as in the first row")}) but found {found}"), line);

    private static List<SampledRecord> ReadSample(TextSource source, FileEnds ends, int limit)
    {
        var records = new List<SampledRecord>();
        using var reader = new DelimitedRecordReader(source.OpenReader(), source.Name, ends.Separator, ends.AllowQuoting);
        reader.SkipLines(ends.TitleLines);
        reader.LeaveOutLast(ends.FooterLines);
        var fields = new List<string>();
        while (records.Count < limit && reader.TryRead(fields))
            records.Add(new SampledRecord(reader.RecordLine, fields.ToArray()));
        return records;
    }

    /// <summary>
    /// A header is a row of names: no field of it is a number or empty, and either some column below it is typed
    /// (numbers or Booleans) while its first field is not, or, where every column is text, none of its values recurs
    /// in its column (data rows repeat labels and categories; names do not). A name that reads like a missing-value
    /// token ("NA", as sodium's column in a chemistry table) is still a name when other columns show the header.
    /// </summary>
    private static bool LooksLikeHeader(SampledRecord first, List<SampledRecord> rest, DelimitedLoadOptions options)
    {
        // An empty first name is the unnamed index column that pandas writes by default (DataFrame.to_csv).
        var unnamedIndex = first.Fields.Length > 1 && first.Fields[0].Trim().Length == 0;
        if (first.Fields.Where((_, i) => i > 0 || !unnamedIndex).Any(f => f.Trim().Length == 0 || TryParseNumber(f, out _) || TryParseBoolean(f, out _)))
            return false;
        var namesAboveTypedColumns = 0;
        for (var i = 0; i < first.Fields.Length; i++)
        {
            var below = rest.Where(r => i < r.Fields.Length && !IsMissing(r.Fields[i], options.MissingValueTokens)).Select(r => r.Fields[i]).ToList();
            if (below.Count > 0 && below.Count(v => TryParseNumber(v, out _) || TryParseBoolean(v, out _)) >= NumericShare * below.Count)
                namesAboveTypedColumns++;
        }
        if (namesAboveTypedColumns > 0)
            return first.Fields.Count(f => !IsMissing(f, options.MissingValueTokens)) > 0;
        for (var i = 0; i < first.Fields.Length; i++)
        {
            if ((IsMissing(first.Fields[i], options.MissingValueTokens) && !(i == 0 && unnamedIndex)) || rest.Any(r => i < r.Fields.Length && r.Fields[i] == first.Fields[i]))
                return false;
        }
        return true;
    }

    private static string[] ColumnNames(string[] first, bool hasHeader)
    {
        var names = new string[first.Length];
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < first.Length; i++)
        {
            var name = hasHeader ? first[i].Trim() : "";
            if (name.Length == 0)
                name = string.Create(CultureInfo.InvariantCulture, $"Column{i}");
            var unique = name;
            for (var n = 2; !used.Add(unique); n++)
                unique = string.Create(CultureInfo.InvariantCulture, $"{name}_{n}");
            names[i] = unique;
        }
        return names;
    }

    private static ColumnStatistics Measure(IEnumerable<string> values, IReadOnlySet<string> missingTokens, char decimalMark)
    {
        var tally = new ColumnTally(missingTokens, decimalMark);
        foreach (var value in values)
            tally.Add(value);
        return tally.ToStatistics();
    }

    private static DelimitedColumn Classify(string name, int index, ColumnStatistics stats)
    {
        if (stats.Present > 0 && stats.Numeric >= NumericShare * stats.Present)
            return new DelimitedColumn(name, index, ColumnKind.Numeric, IsRowNumber(stats) || IsNumberedKey(name, stats) ? ColumnPurpose.Identifier : ColumnPurpose.Numeric);
        if (stats.Missing == 0 && stats.Booleans == stats.Values)
            return new DelimitedColumn(name, index, ColumnKind.Boolean, ColumnPurpose.Boolean);
        var purpose = PurposeOfText(stats);
        return new DelimitedColumn(name, index, ColumnKind.Text, purpose) { DateOrder = purpose == ColumnPurpose.DateTime ? stats.DateOrder!.Value : DateOrder.YearFirst };
    }

    /// <summary>
    /// What a text column is for, from its statistics: image paths (90% name image files), dates (every value reads as
    /// one), identifiers (a different single token in each of at least <see cref="IdentifierMinimumRows"/> rows),
    /// categories (few distinct, short values) or free text.
    /// </summary>
    public static ColumnPurpose PurposeOfText(ColumnStatistics stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        if (stats.Present > 0 && stats.ImagePaths >= 0.9 * stats.Present)
            return ColumnPurpose.ImagePath;
        // All of them, not most: a value that is no date would silently become a missing one.
        if (stats.DateOrder is not null)
            return ColumnPurpose.DateTime;
        // Unique words are keys (customer ids, order numbers, e-mail addresses): read as free text they would make a
        // table "text" and turn AutoML to sequence models; one-hot encoded, each value would fit one training row only.
        if (stats.Present >= IdentifierMinimumRows && stats.DistinctValues == stats.Present && stats.Spaced == 0)
            return ColumnPurpose.Identifier;
        return CategoricalOrText(stats);
    }

    private static ColumnPurpose CategoricalOrText(ColumnStatistics stats)
    {
        var categorical = stats.Present > 0 && stats.DistinctValues <= Math.Max(2, stats.Present / 2) && stats.MeanLength <= 50;
        return categorical ? ColumnPurpose.Categorical : ColumnPurpose.Text;
    }

    /// <summary>
    /// Fewer rows than this cannot show that a column is an identifier: a short sample of categories is often all
    /// different by chance.
    /// </summary>
    public const int IdentifierMinimumRows = 20;

    /// <summary>
    /// A numeric column that counts the rows (0 or 1, then one more per row, none missing): a row number, such as the
    /// index pandas writes by default. Its value says where a row sits in the file, which a model must not learn.
    /// </summary>
    public static bool IsRowNumber(ColumnStatistics stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        return stats.RowNumbers && stats.Present >= IdentifierMinimumRows;
    }

    /// <summary>
    /// A numeric column of whole numbers, a different one in each of at least <see cref="IdentifierMinimumRows"/> rows
    /// and none missing, under a name that says it holds keys (<see cref="KeyColumnNames"/>): customer or employee
    /// numbers. Their order follows when a row was entered, not what it describes.
    /// </summary>
    public static bool IsNumberedKey(string name, ColumnStatistics stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        return stats.Missing == 0 && stats.AllIntegers && stats.Present >= IdentifierMinimumRows && stats.DistinctValues == stats.Present
            && KeyColumnNames.NamesKeys(name);
    }

    /// <summary>Statistics of text values (the missing-value tokens of <see cref="DelimitedLoadOptions"/> count as missing).</summary>
    public static ColumnStatistics MeasureText(IEnumerable<string> values) =>
        Measure(values, new DelimitedLoadOptions().MissingValueTokens, '.');

    internal static bool IsMissing(string value, IReadOnlySet<string> missingTokens) =>
        value.Length == 0 || missingTokens.Contains(value.Trim());

    internal static bool TryParseNumber(string value, out float number) => TryParseNumber(value, '.', out number);

    /// <summary>
    /// Reads a number with <paramref name="decimalMark"/> as its decimal mark. Infinities ("Infinity", "-Infinity",
    /// "inf") count as numbers here so that their column stays numeric; reading them is then an error (see
    /// <see cref="IsInfinite"/>). NaN is not a number: as a token it is a missing value.
    /// </summary>
    internal static bool TryParseNumber(string value, char decimalMark, out float number) => TryParseNumber(value, decimalMark, written: true, out number);

    /// <summary>
    /// As <see cref="TryParseNumber(string, char, out float)"/>; <paramref name="written"/> also reads numbers with a
    /// currency sign, a percent sign or grouped thousands (<see cref="WrittenNumber"/>).
    /// </summary>
    private static bool TryParseNumber(string value, char decimalMark, bool written, out float number)
    {
        // The common case (a plain number with a dot) costs one parse and no allocation: this runs for every field.
        var plain = decimalMark != ',' ? value : value.Contains('.', StringComparison.Ordinal) ? null : value.Replace(',', '.');
        if (plain is not null && float.TryParse(plain, NumberStyles.Float, CultureInfo.InvariantCulture, out number))
            return !float.IsNaN(number);
        if (IsInfinite(value))
        {
            number = value.TrimStart().StartsWith('-') ? float.NegativeInfinity : float.PositiveInfinity;
            return true;
        }
        number = float.NaN;
        return written && WrittenNumber.TryParse(value, decimalMark, out number);
    }

    /// <summary>Whether <paramref name="value"/> spells an infinity (Infinity, inf, ∞, with a sign or not).</summary>
    internal static bool IsInfinite(string value)
    {
        var text = value.Trim().TrimStart('+', '-');
        return text.Equals("Infinity", StringComparison.OrdinalIgnoreCase) || text.Equals("inf", StringComparison.OrdinalIgnoreCase) || text == "∞";
    }

    internal static bool TryParseBoolean(string value, out bool result) => bool.TryParse(value.Trim(), out result);

    private sealed record SampledRecord(long Line, string[] Fields);
}
