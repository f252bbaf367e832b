using MlToolkit.Data.Delimited;

namespace MlToolkit.Pipelines.Featurization;

/// <summary>
/// What the user says about input columns, overriding what inference would decide (as ML.NET AutoML's
/// <c>ColumnInformation</c>): categories, free text, numbers, dates, image paths, or columns to leave out.
/// </summary>
public sealed class ColumnInformation
{
    /// <summary>Columns to one-hot encode (or hash, when they have many values).</summary>
    public ISet<string> CategoricalColumnNames { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Columns of free text, featurized as TF-IDF n-grams.</summary>
    public ISet<string> TextColumnNames { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Numeric columns (missing values imputed; scaled for linear and neural trainers).</summary>
    public ISet<string> NumericColumnNames { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Columns of dates or date-times, expanded into numeric parts (<see cref="Dates.DateTimePartsTransformer"/>).</summary>
    public ISet<string> DateTimeColumnNames { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Columns holding image file paths.</summary>
    public ISet<string> ImagePathColumnNames { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Columns that are not features (ids, leaks, free-form notes).</summary>
    public ISet<string> IgnoredColumnNames { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>A copy that can be changed without changing this one.</summary>
    public ColumnInformation Clone()
    {
        var copy = new ColumnInformation();
        copy.CategoricalColumnNames.UnionWith(CategoricalColumnNames);
        copy.TextColumnNames.UnionWith(TextColumnNames);
        copy.NumericColumnNames.UnionWith(NumericColumnNames);
        copy.ImagePathColumnNames.UnionWith(ImagePathColumnNames);
        copy.DateTimeColumnNames.UnionWith(DateTimeColumnNames);
        copy.IgnoredColumnNames.UnionWith(IgnoredColumnNames);
        return copy;
    }

    /// <summary>The purpose the user gave <paramref name="column"/>, or null when inference decides.</summary>
    public ColumnPurpose? PurposeOf(string column) =>
        CategoricalColumnNames.Contains(column) ? ColumnPurpose.Categorical
        : TextColumnNames.Contains(column) ? ColumnPurpose.Text
        : NumericColumnNames.Contains(column) ? ColumnPurpose.Numeric
        : ImagePathColumnNames.Contains(column) ? ColumnPurpose.ImagePath
        : DateTimeColumnNames.Contains(column) ? ColumnPurpose.DateTime
        : null;

    /// <summary>Every column named here, to check against the data.</summary>
    public IEnumerable<string> Named =>
        CategoricalColumnNames.Concat(TextColumnNames).Concat(NumericColumnNames).Concat(ImagePathColumnNames).Concat(DateTimeColumnNames).Concat(IgnoredColumnNames);
}
