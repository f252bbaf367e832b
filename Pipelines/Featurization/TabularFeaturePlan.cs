using Microsoft.ML;
using MlToolkit.Data.Delimited;
using MlToolkit.Pipelines.Normalization;

namespace MlToolkit.Pipelines.Featurization;

/// <summary>Tabular data: every column but the label and ignored ones, featurized by purpose (see <see cref="AutoFeaturizer"/>).</summary>
public sealed class TabularFeaturePlan : IFeaturePlan
{
    private readonly IReadOnlyList<FeatureColumn> _features;

    /// <summary>Plans features from <paramref name="layout"/> for predicting <paramref name="labelColumn"/>.</summary>
    public TabularFeaturePlan(DelimitedSchema layout, string labelColumn, IEnumerable<string>? ignoreColumns = null)
        : this(layout, labelColumn, Ignoring(ignoreColumns))
    {
    }

    /// <summary>Plans features from <paramref name="layout"/>, with the purposes and ignored columns of <paramref name="columns"/> overriding inference.</summary>
    public TabularFeaturePlan(DelimitedSchema layout, string labelColumn, ColumnInformation? columns)
    {
        ArgumentNullException.ThrowIfNull(layout);
        foreach (var name in columns?.Named ?? Array.Empty<string>())
            layout.GetColumn(name);
        var planned = AutoFeaturizer.FeatureColumns(layout, labelColumn, columns?.IgnoredColumnNames)
            .Select(f => columns?.PurposeOf(f.Name) is { } given ? f with { Purpose = Checked(layout.GetColumn(f.Name), given) } : f).ToList();
        var label = layout.GetColumn(labelColumn).Name;
        IdentifierColumns = planned.Where(f => f.Purpose == ColumnPurpose.Identifier).Select(f => f.Name).ToList();
        _features = planned.Where(f => f.Purpose != ColumnPurpose.Identifier).ToList();
        if (_features.Count == 0)
            throw new SchemaException(AutoFeaturizer.OnlyIdentifiersLeft(label, IdentifierColumns));
        DelimitedInputs = layout.Columns.Where(c => c.Name == label || _features.Any(f => f.Name == c.Name)).ToList();
        ImagePathColumns = _features.Where(f => f.Purpose == ColumnPurpose.ImagePath).Select(f => f.Name).ToList();
        OneHotColumns = _features.Where(f => f.Purpose == ColumnPurpose.Categorical && f.DistinctValues <= AutoFeaturizer.MaxOneHotValues).Select(f => f.Name).ToList();
    }

    /// <summary>The columns left out as identifiers (<see cref="ColumnPurpose.Identifier"/>): a different key in every row.</summary>
    public IReadOnlyList<string> IdentifierColumns { get; }

    /// <inheritdoc/>
    public IReadOnlyList<string> OneHotColumns { get; }

    /// <inheritdoc/>
    public IReadOnlyList<string> ImagePathColumns { get; }

    /// <inheritdoc/>
    public bool IsImage => ImagePathColumns.Count > 0
        || (_features.Count >= 64 && _features.All(f => f.Purpose == ColumnPurpose.Numeric) && Math.Sqrt(_features.Count) % 1 == 0);

    /// <inheritdoc/>
    public IReadOnlyList<DelimitedColumn> DelimitedInputs { get; }

    /// <inheritdoc/>
    public IEstimator<ITransformer> Build(MLContext mlContext, NormalizerKind? normalizer) => AutoFeaturizer.Build(mlContext, _features, normalizer);

    private static ColumnInformation? Ignoring(IEnumerable<string>? columns)
    {
        if (columns is null)
            return null;
        var information = new ColumnInformation();
        information.IgnoredColumnNames.UnionWith(columns);
        return information;
    }

    // A column read as text can be categories, free text or image paths; numbers and Booleans keep their purpose (their
    // values are not text), though a row number may be used as the number it is. Refused rather than ignored, so that
    // the user's word is never silently dropped.
    private static ColumnPurpose Checked(DelimitedColumn column, ColumnPurpose given)
    {
        var allowed = column.Kind switch
        {
            ColumnKind.Text => given != ColumnPurpose.Numeric,
            ColumnKind.Numeric => given == ColumnPurpose.Numeric,
            _ => given == column.Purpose,
        };
        return allowed ? given
            : throw new SchemaException($"Column '{column.Name}' was read as {column.Kind}, so it cannot be used as {given}; read it as {(given == ColumnPurpose.Numeric ? "a number" : "text")} first (--column-type {column.Name}={(given == ColumnPurpose.Numeric ? "numeric" : "text")}, or DelimitedLoadOptions.ColumnKinds).");
    }
}
