using Microsoft.ML;
using MlToolkit.Data.Delimited;
using MlToolkit.Pipelines.Normalization;

namespace MlToolkit.Pipelines.Featurization;

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
    public IEstimator<ITransformer> Build(MLContext mlContext, NormalizerKind? normalizer) =>
        Images.ImageTensorPipeline.Build(mlContext, PathColumn, AutoFeaturizer.FeaturesColumn, Size, Size, Grayscale);
}
