using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data.Delimited;
using MlToolkit.Pipelines.Normalization;

namespace MlToolkit.Pipelines.Featurization;

/// <summary>
/// Features of any <see cref="IDataView"/> (ML.NET's <c>LoadFromTextFile&lt;T&gt;</c>, <c>LoadFromEnumerable</c>, a
/// database reader), planned from its schema: numbers and number vectors of any width are converted to Single,
/// Booleans to 0/1, keys one-hot, dates and times to their numeric parts; text columns are sampled to tell categories, free text,
/// image paths and identifiers (left out) apart.
/// <see cref="ColumnInformation"/> overrides any of it.
/// </summary>
public sealed class SchemaFeaturePlan : IFeaturePlan
{
    private readonly IReadOnlyList<FeatureColumn> _features;
    private readonly IReadOnlyList<string> _toSingle;
    private readonly IReadOnlyList<string> _keys;

    /// <summary>Plans features for predicting <paramref name="labelColumn"/> from the other columns of <paramref name="data"/>.</summary>
    /// <exception cref="SchemaException">A column named in <paramref name="columns"/> is missing, a column has a type that cannot be featurized, or nothing is left.</exception>
    public SchemaFeaturePlan(IDataView data, string labelColumn, ColumnInformation? columns = null, int sampleRows = 1000)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentException.ThrowIfNullOrWhiteSpace(labelColumn);
        columns ??= new ColumnInformation();
        foreach (var name in columns.Named.Where(n => data.Schema.GetColumnOrNull(n) is null))
            throw new SchemaException($"Column '{name}' given in the column information is not in the data. Columns: {string.Join(", ", data.Schema.Where(c => !c.IsHidden).Select(c => c.Name))}.");
        var features = new List<FeatureColumn>();
        var toSingle = new List<string>();
        var keys = new List<string>();
        var identifiers = new List<string>();
        foreach (var column in data.Schema.Where(c => !c.IsHidden && c.Name != labelColumn && !columns.IgnoredColumnNames.Contains(c.Name)))
        {
            var given = columns.PurposeOf(column.Name);
            var itemType = column.Type is VectorDataViewType vector ? vector.ItemType : column.Type;
            if (itemType is KeyDataViewType)
            {
                keys.Add(column.Name);
                features.Add(new FeatureColumn(column.Name, ColumnPurpose.Numeric));
            }
            else if (itemType is NumberDataViewType && (column.Type is not VectorDataViewType v || v.IsKnownSize))
            {
                if (itemType != NumberDataViewType.Single)
                    toSingle.Add(column.Name);
                features.Add(new FeatureColumn(column.Name, given is ColumnPurpose.Categorical ? ColumnPurpose.Categorical : ColumnPurpose.Numeric));
            }
            else if (itemType is BooleanDataViewType && column.Type is not VectorDataViewType)
            {
                features.Add(new FeatureColumn(column.Name, ColumnPurpose.Boolean));
            }
            else if (itemType is DateTimeDataViewType or DateTimeOffsetDataViewType && column.Type is not VectorDataViewType)
            {
                features.Add(new FeatureColumn(column.Name, ColumnPurpose.DateTime));
            }
            else if (itemType is TextDataViewType && column.Type is not VectorDataViewType)
            {
                var stats = DelimitedSchemaInference.MeasureText(Sample(data, column, sampleRows));
                var purpose = given ?? DelimitedSchemaInference.PurposeOfText(stats);
                if (purpose == ColumnPurpose.Identifier)
                    identifiers.Add(column.Name);
                else
                    features.Add(new FeatureColumn(column.Name, purpose, stats.DistinctValues, stats.DateOrder ?? DateOrder.YearFirst));
            }
            else
            {
                throw new SchemaException($"Column '{column.Name}' has type {column.Type}, which AutoML cannot turn into features; convert it first, or leave it out (ColumnInformation.IgnoredColumnNames).");
            }
        }
        if (features.Count == 0 && identifiers.Count > 0)
            throw new SchemaException(AutoFeaturizer.OnlyIdentifiersLeft(labelColumn, identifiers));
        if (features.Count == 0)
            throw new SchemaException($"No feature columns are left besides the label '{labelColumn}'; the data needs at least one input column.");
        _features = features;
        IdentifierColumns = identifiers;
        _toSingle = toSingle;
        _keys = keys;
        ImagePathColumns = features.Where(f => f.Purpose == ColumnPurpose.ImagePath).Select(f => f.Name).ToList();
        OneHotColumns = Array.Empty<string>();
    }

    /// <summary>The feature columns and what each is for.</summary>
    public IReadOnlyList<FeatureColumn> Columns => _features;

    /// <summary>Text columns left out as identifiers (<see cref="ColumnPurpose.Identifier"/>): a different key in every sampled row.</summary>
    public IReadOnlyList<string> IdentifierColumns { get; }

    /// <inheritdoc/>
    public IReadOnlyList<DelimitedColumn> DelimitedInputs => Array.Empty<DelimitedColumn>();

    /// <inheritdoc/>
    public IReadOnlyList<string> ImagePathColumns { get; }

    /// <inheritdoc/>
    public IReadOnlyList<string> OneHotColumns { get; }

    /// <inheritdoc/>
    public IEstimator<ITransformer> Build(MLContext mlContext, NormalizerKind? normalizer)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        IEstimator<ITransformer> pipeline = new EstimatorChain<ITransformer>();
        foreach (var name in _toSingle)
            pipeline = pipeline.Append(mlContext.Transforms.Conversion.ConvertType(name, name, DataKind.Single));
        foreach (var name in _keys)
            pipeline = pipeline.Append(mlContext.Transforms.Conversion.MapKeyToVector(name, name));
        // A numeric column the user calls categorical is one-hot encoded by its values as text.
        foreach (var column in _features.Where(f => f.Purpose == ColumnPurpose.Categorical && !_keys.Contains(f.Name)))
            pipeline = pipeline.Append(mlContext.Transforms.Conversion.ConvertType(column.Name, column.Name, DataKind.String));
        return pipeline.Append(AutoFeaturizer.Build(mlContext, _features, normalizer));
    }

    private static IEnumerable<string> Sample(IDataView data, DataViewSchema.Column column, int rows)
    {
        using var cursor = data.GetRowCursor(new[] { column });
        var getter = cursor.GetGetter<ReadOnlyMemory<char>>(column);
        ReadOnlyMemory<char> value = default;
        for (var i = 0; i < rows && cursor.MoveNext(); i++)
        {
            getter(ref value);
            yield return value.ToString();
        }
    }
}
