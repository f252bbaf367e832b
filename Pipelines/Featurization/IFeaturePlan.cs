using Microsoft.ML;
using MlToolkit.Data.Delimited;
using MlToolkit.Pipelines.Normalization;

namespace MlToolkit.Pipelines.Featurization;

/// <summary>How a kind of input data becomes the <c>Features</c> column a trainer reads.</summary>
public interface IFeaturePlan
{
    /// <summary>The delimited-file columns the plan reads, so evaluation files are read with the same kinds; empty for other sources.</summary>
    IReadOnlyList<DelimitedColumn> DelimitedInputs { get; }

    /// <summary>
    /// The featurization estimator; <paramref name="normalizer"/> scales the numeric features that way (null leaves
    /// them as they are). Plans whose features already share one range (pixels, token ids) may ignore it.
    /// </summary>
    IEstimator<ITransformer> Build(MLContext mlContext, NormalizerKind? normalizer);

    /// <summary>Columns holding image file paths, checked before training and evaluation (see <see cref="Images.ImageFiles"/>).</summary>
    IReadOnlyList<string> ImagePathColumns => Array.Empty<string>();

    /// <summary>Columns one-hot encoded by value, whose values unseen in training are counted at evaluation.</summary>
    IReadOnlyList<string> OneHotColumns => Array.Empty<string>();

    /// <summary>
    /// Columns left out as identifiers (<see cref="ColumnPurpose.Identifier"/>): no features, but the keys that
    /// predictions are joined back to their rows by.
    /// </summary>
    IReadOnlyList<string> IdentifierColumns => Array.Empty<string>();

    /// <summary>
    /// Whether the features are an image a convolutional network can read: image files, an image tensor, or a table of
    /// at least 8×8 numeric pixel columns (a square count).
    /// </summary>
    bool IsImage => false;
}
