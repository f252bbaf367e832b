using Microsoft.ML;
using MlToolkit.Data.Delimited;

namespace MlToolkit.Pipelines.Featurization;

/// <summary>How a kind of input data becomes the <c>Features</c> column a trainer reads.</summary>
public interface IFeaturePlan
{
    /// <summary>The delimited-file columns the plan reads, so evaluation files are read with the same kinds; empty for other sources.</summary>
    IReadOnlyList<DelimitedColumn> DelimitedInputs { get; }

    /// <summary>The featurization estimator; <paramref name="normalize"/> asks for features scaled to a small range.</summary>
    IEstimator<ITransformer> Build(MLContext mlContext, bool normalize);

    /// <summary>Columns holding image file paths, checked before training and evaluation (see <see cref="Images.ImageFiles"/>).</summary>
    IReadOnlyList<string> ImagePathColumns => Array.Empty<string>();

    /// <summary>Columns one-hot encoded by value, whose values unseen in training are counted at evaluation.</summary>
    IReadOnlyList<string> OneHotColumns => Array.Empty<string>();

    /// <summary>
    /// Whether the features are an image a convolutional network can read: image files, an image tensor, or a table of
    /// at least 8×8 numeric pixel columns (a square count).
    /// </summary>
    bool IsImage => false;
}

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
        _features = AutoFeaturizer.FeatureColumns(layout, labelColumn, columns?.IgnoredColumnNames)
            .Select(f => columns?.PurposeOf(f.Name) is { } given && Allowed(layout.GetColumn(f.Name).Kind, given) ? f with { Purpose = given } : f).ToList();
        var label = layout.GetColumn(labelColumn).Name;
        DelimitedInputs = layout.Columns.Where(c => c.Name == label || _features.Any(f => f.Name == c.Name)).ToList();
        ImagePathColumns = _features.Where(f => f.Purpose == ColumnPurpose.ImagePath).Select(f => f.Name).ToList();
        OneHotColumns = _features.Where(f => f.Purpose == ColumnPurpose.Categorical && f.DistinctValues <= AutoFeaturizer.MaxOneHotValues).Select(f => f.Name).ToList();
    }

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
    public IEstimator<ITransformer> Build(MLContext mlContext, bool normalize) => AutoFeaturizer.Build(mlContext, _features, normalize);

    private static ColumnInformation? Ignoring(IEnumerable<string>? columns)
    {
        if (columns is null)
            return null;
        var information = new ColumnInformation();
        information.IgnoredColumnNames.UnionWith(columns);
        return information;
    }

    // A delimited column read as text can take any purpose; numbers and Booleans keep theirs (their values are not text).
    private static bool Allowed(ColumnKind kind, ColumnPurpose purpose) => kind == ColumnKind.Text ? purpose != ColumnPurpose.Numeric : purpose == ColumnPurpose.Numeric;
}

/// <summary>A column that already holds a numeric tensor (e.g. IDX images), copied to <c>Features</c> as it is.</summary>
/// <param name="Column">The tensor column.</param>
public sealed record TensorFeaturePlan(string Column) : IFeaturePlan
{
    /// <inheritdoc/>
    public bool IsImage => true;

    /// <inheritdoc/>
    public IReadOnlyList<DelimitedColumn> DelimitedInputs => Array.Empty<DelimitedColumn>();

    /// <inheritdoc/>
    public IEstimator<ITransformer> Build(MLContext mlContext, bool normalize) =>
        mlContext.Transforms.CopyColumns(AutoFeaturizer.FeaturesColumn, Column);
}

/// <summary>Image files named by a path column, loaded and resized to a square tensor scaled to [0, 1].</summary>
/// <param name="PathColumn">Text column of image paths.</param>
/// <param name="Size">Side length to resize to.</param>
/// <param name="Grayscale">One channel instead of RGB.</param>
public sealed record ImageFeaturePlan(string PathColumn, int Size, bool Grayscale) : IFeaturePlan
{
    /// <inheritdoc/>
    public IReadOnlyList<string> ImagePathColumns => new[] { PathColumn };

    /// <inheritdoc/>
    public bool IsImage => true;

    /// <inheritdoc/>
    public IReadOnlyList<DelimitedColumn> DelimitedInputs => Array.Empty<DelimitedColumn>();

    /// <inheritdoc/>
    public IEstimator<ITransformer> Build(MLContext mlContext, bool normalize) =>
        Images.ImageTensorPipeline.Build(mlContext, PathColumn, AutoFeaturizer.FeaturesColumn, Size, Size, Grayscale);
}

/// <summary>The one free-text column of a delimited file, as fixed-length token ids for sequence models.</summary>
public sealed class TokenSequenceFeaturePlan : IFeaturePlan
{
    private readonly string _textColumn;
    private readonly int _maxLength;

    /// <summary>Plans token ids of the single free-text column of <paramref name="layout"/> (besides the label).</summary>
    /// <exception cref="SchemaException">The data has no free-text column, or several.</exception>
    public TokenSequenceFeaturePlan(DelimitedSchema layout, string labelColumn, int maxLength = 256)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        var label = layout.GetColumn(labelColumn).Name;
        var texts = layout.Columns.Where(c => c.Name != label && c.Purpose == ColumnPurpose.Text).ToList();
        if (texts.Count != 1)
        {
            throw new SchemaException(texts.Count == 0
                ? $"Sequence trainers read one free-text column, but the data has none (columns: {string.Join(", ", layout.Columns.Select(c => $"{c.Name} ({c.Purpose})"))})."
                : $"Sequence trainers read one free-text column, but the data has {texts.Count}: {string.Join(", ", texts.Select(c => c.Name))}.");
        }
        _textColumn = texts[0].Name;
        _maxLength = maxLength;
        DelimitedInputs = layout.Columns.Where(c => c.Name == label || c.Name == _textColumn).ToList();
    }

    /// <inheritdoc/>
    public IReadOnlyList<DelimitedColumn> DelimitedInputs { get; }

    /// <inheritdoc/>
    public IEstimator<ITransformer> Build(MLContext mlContext, bool normalize) =>
        new Text.TokenIdEstimator(new Text.TokenIdEstimator.Options { InputColumnName = _textColumn, OutputColumnName = AutoFeaturizer.FeaturesColumn, MaxLength = _maxLength });
}
