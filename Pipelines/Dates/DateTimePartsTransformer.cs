using System.Text.Json.Nodes;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data.Delimited;
using MlToolkit.Data.IO;
using MlToolkit.Pipelines.Persistence;
using MlToolkit.Pipelines.Transforms;

namespace MlToolkit.Pipelines.Dates;

/// <summary>
/// Expands a date column into numbers a model can split or weigh: year, month, day, day of the week (Monday 1 …
/// Sunday 7), day of the year, hour, minute, second (as written, before any zone offset) and the days since
/// 2000-01-01 UTC (fractional; the instant, after the offset). The column may hold text (<see cref="DateText"/>'s
/// forms, in the <see cref="DateOrder"/> given), <see cref="DateTime"/> or <see cref="DateTimeOffset"/> values. An empty value or a missing-value token
/// (<c>NA</c>, <c>null</c>, …) gives NaN in every part, which the featurizer then imputes as a missing number; any other
/// text that is no date is a <see cref="DataFormatException"/> naming the row, the column and the value, so that a
/// value the model cannot read is never scored as if it were missing.
/// </summary>
public sealed class DateTimePartsTransformer : ColumnAddingTransformer
{
    /// <summary>The persistence kind name.</summary>
    public const string Kind = "datetime-parts";

    /// <summary>The parts written, in slot order.</summary>
    public static IReadOnlyList<string> PartNames { get; } =
        new[] { "year", "month", "day", "day_of_week", "day_of_year", "hour", "minute", "second", "days_since_2000" };

    private static readonly DateTime Epoch = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private readonly string _outputColumnName;
    private readonly string _inputColumnName;
    private readonly DateOrder _order;

    /// <summary>Writes the parts of <paramref name="inputColumnName"/> to <paramref name="outputColumnName"/>; dates written as text are read in <paramref name="order"/>.</summary>
    public DateTimePartsTransformer(string outputColumnName, string inputColumnName, DateOrder order = DateOrder.YearFirst)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(inputColumnName);
        if (!Enum.IsDefined(order))
            throw new ArgumentOutOfRangeException(nameof(order), order, "Not a date order.");
        _outputColumnName = outputColumnName;
        _inputColumnName = inputColumnName;
        _order = order;
    }

    /// <summary>How dates written as text order their parts.</summary>
    public DateOrder Order => _order;

    /// <summary>The column read.</summary>
    public string InputColumnName => _inputColumnName;

    /// <summary>The vector column written (<see cref="PartNames"/>.Count Single values, slot names = the part names).</summary>
    public string OutputColumnName => _outputColumnName;

    /// <inheritdoc/>
    protected override IReadOnlyList<(string Name, DataViewType Type)> AddedColumns => new (string, DataViewType)[]
    {
        (_outputColumnName, new VectorDataViewType(NumberDataViewType.Single, PartNames.Count)),
    };

    /// <inheritdoc/>
    protected override DataViewSchema.Annotations? AnnotationsOf(int index, DataViewSchema inputSchema)
    {
        var names = new VBuffer<ReadOnlyMemory<char>>(PartNames.Count, PartNames.Select(n => $"{_inputColumnName}.{n}".AsMemory()).ToArray());
        var builder = new DataViewSchema.Annotations.Builder();
        builder.Add("SlotNames", new VectorDataViewType(TextDataViewType.Instance, PartNames.Count),
            (ref VBuffer<ReadOnlyMemory<char>> value) => names.CopyTo(ref value));
        return builder.ToAnnotations();
    }

    /// <inheritdoc/>
    protected override IReadOnlyList<DataViewSchema.Column> CheckInput(DataViewSchema inputSchema) => new[] { DateColumn(inputSchema, _inputColumnName) };

    internal static DataViewSchema.Column DateColumn(DataViewSchema schema, string name)
    {
        var column = schema.GetColumnOrNull(name)
            ?? throw new SchemaException($"Date column '{name}' not found. Columns: {string.Join(", ", schema.Select(c => c.Name))}.");
        if (column.Type is not (TextDataViewType or DateTimeDataViewType or DateTimeOffsetDataViewType))
            throw new SchemaException($"Column '{name}' holds {column.Type}; date parts need text, DateTime or DateTimeOffset values.");
        return column;
    }

    /// <summary>The parts of <paramref name="value"/> in <see cref="PartNames"/> order.</summary>
    public static void Expand(DateTimeOffset value, Span<float> parts)
    {
        var clock = value.DateTime;
        parts[0] = clock.Year;
        parts[1] = clock.Month;
        parts[2] = clock.Day;
        parts[3] = clock.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)clock.DayOfWeek;
        parts[4] = clock.DayOfYear;
        parts[5] = clock.Hour;
        parts[6] = clock.Minute;
        parts[7] = clock.Second + clock.Millisecond / 1000f;
        parts[8] = (float)(value.UtcDateTime - Epoch).TotalDays;
    }

    /// <inheritdoc/>
    protected override RowComputation Bind(DataViewRow input, IReadOnlyList<DataViewSchema.Column> inputs) => new Computation(input, inputs[0], _order);

    private static readonly IReadOnlySet<string> MissingTokens = new DelimitedLoadOptions().MissingValueTokens;

    /// <summary>The date <paramref name="text"/> holds; null when it is empty or a missing-value token.</summary>
    /// <exception cref="DataFormatException">The text is neither a date nor missing.</exception>
    private static DateTimeOffset? ParseOrMissing(ReadOnlySpan<char> text, DateOrder order, string column, long position)
    {
        if (DateText.TryParse(text, order, out var parsed))
            return parsed;
        var trimmed = text.Trim().ToString();
        if (trimmed.Length == 0 || MissingTokens.Contains(trimmed))
            return null;
        var source = position >= 0 ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"data row {position + 1}") : "the row scored";
        throw new DataFormatException(source, DateText.Expected(order, "--column-type NAME=text or ColumnInformation.TextColumnNames"), column: column, value: trimmed);
    }

    /// <inheritdoc/>
    public override (string Kind, JsonObject State) SaveState() =>
        (Kind, new JsonObject { ["output"] = _outputColumnName, ["input"] = _inputColumnName, ["order"] = _order.ToString() });

    /// <summary>Rebuilds a transformer from <see cref="SaveState"/>'s output.</summary>
    public static DateTimePartsTransformer Load(JsonObject state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var output = (string?)state["output"] ?? throw new ModelFormatException("A date-parts transformer's state has no output column.");
        var input = (string?)state["input"] ?? throw new ModelFormatException("A date-parts transformer's state has no input column.");
        // Models saved before month-first and day-first dates were read have no order: theirs is year first.
        var written = (string?)state["order"] ?? nameof(DateOrder.YearFirst);
        if (!Enum.TryParse<DateOrder>(written, out var order) || !Enum.IsDefined(order))
            throw new ModelFormatException($"A date-parts transformer's state has an unknown date order '{written}'.");
        return new DateTimePartsTransformer(output, input, order);
    }

    private sealed class Computation : RowComputation
    {
        private readonly float[] _parts = new float[PartNames.Count];
        private readonly Func<DateTimeOffset?> _read;

        public Computation(DataViewRow input, DataViewSchema.Column column, DateOrder order) => _read = Reader(input, column, order);

        public override void Compute()
        {
            if (_read() is { } value)
                Expand(value, _parts);
            else
                Array.Fill(_parts, float.NaN);
        }

        public override Delegate Getter(int index) => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
        {
            var editor = VBufferEditor.Create(ref value, _parts.Length);
            _parts.CopyTo(editor.Values);
            value = editor.Commit();
        });

        private static Func<DateTimeOffset?> Reader(DataViewRow input, DataViewSchema.Column column, DateOrder order)
        {
            switch (column.Type)
            {
                case DateTimeDataViewType:
                    var dateTime = input.GetGetter<DateTime>(column);
                    return () =>
                    {
                        DateTime value = default;
                        dateTime(ref value);
                        return new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Unspecified), TimeSpan.Zero);
                    };
                case DateTimeOffsetDataViewType:
                    var offset = input.GetGetter<DateTimeOffset>(column);
                    return () =>
                    {
                        DateTimeOffset value = default;
                        offset(ref value);
                        return value;
                    };
                default:
                    var text = input.GetGetter<ReadOnlyMemory<char>>(column);
                    return () =>
                    {
                        ReadOnlyMemory<char> value = default;
                        text(ref value);
                        return ParseOrMissing(value.Span, order, column.Name, input.Position);
                    };
            }
        }
    }
}
