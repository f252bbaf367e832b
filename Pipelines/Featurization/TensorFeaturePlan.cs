using Microsoft.ML;
using MlToolkit.Data.Delimited;
using MlToolkit.Pipelines.Normalization;

namespace MlToolkit.Pipelines.Featurization;

/// <summary>A column that already holds a numeric tensor (e.g. IDX images), copied to <c>Features</c> as it is.</summary>
/// <param name="Column">The tensor column.</param>
public sealed record TensorFeaturePlan(string Column) : IFeaturePlan
{
    /// <inheritdoc/>
    public bool IsImage => true;

    /// <inheritdoc/>
    public IReadOnlyList<DelimitedColumn> DelimitedInputs => Array.Empty<DelimitedColumn>();

    /// <inheritdoc/>
    public IEstimator<ITransformer> Build(MLContext mlContext, NormalizerKind? normalizer) =>
        mlContext.Transforms.CopyColumns(AutoFeaturizer.FeaturesColumn, Column);
}
