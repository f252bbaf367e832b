using Microsoft.ML;
using MlToolkit.Data.Delimited;
using MlToolkit.Pipelines.Normalization;

namespace MlToolkit.Pipelines.Featurization;

/// <summary>
/// A featurizer of your own: any estimator that writes the <c>Features</c> column (a known-size vector of Single).
/// It is used as given, for every trainer; <c>normalize</c> appends a min-max scaling for the linear and neural ones.
/// </summary>
public sealed class EstimatorFeaturePlan : IFeaturePlan
{
    private readonly IEstimator<ITransformer> _featurizer;

    /// <summary>Uses <paramref name="featurizer"/>, which must add <c>Features</c>.</summary>
    public EstimatorFeaturePlan(IEstimator<ITransformer> featurizer) => _featurizer = featurizer ?? throw new ArgumentNullException(nameof(featurizer));

    /// <inheritdoc/>
    public IReadOnlyList<DelimitedColumn> DelimitedInputs => Array.Empty<DelimitedColumn>();

    /// <inheritdoc/>
    public IEstimator<ITransformer> Build(MLContext mlContext, NormalizerKind? normalizer)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        return normalizer is { } kind
            ? _featurizer.Append(mlContext.Transforms.Normalize(kind, AutoFeaturizer.FeaturesColumn))
            : _featurizer;
    }
}
