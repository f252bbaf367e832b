using Microsoft.ML;
using MlToolkit.Data.Delimited;
using MlToolkit.Pipelines.Normalization;

namespace MlToolkit.Pipelines.Featurization;

/// <summary>
/// A featurizer of your own: any estimator that writes the <c>Features</c> column (a known-size vector of Single).
/// It is used as given, for every trainer; for the linear and neural ones a min-max scaling of the whole vector is
/// appended, whichever normalizer the trainer asks for: the vector may hold sparse text or one-hot slots, which
/// standardizing would densify (centring) or blow up (a rare n-gram's small spread), and min-max keeps zeros at zero.
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
        return normalizer is null
            ? _featurizer
            : _featurizer.Append(mlContext.Transforms.NormalizeMinMax(AutoFeaturizer.FeaturesColumn));
    }
}
