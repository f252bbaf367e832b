using Microsoft.ML;
using MlToolkit.Data.Delimited;
using MlToolkit.Pipelines.Normalization;

namespace MlToolkit.Pipelines.Featurization;

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
    public IEstimator<ITransformer> Build(MLContext mlContext, NormalizerKind? normalizer) =>
        new Text.TokenIdEstimator(new Text.TokenIdEstimator.Options { InputColumnName = _textColumn, OutputColumnName = AutoFeaturizer.FeaturesColumn, MaxLength = _maxLength });
}
