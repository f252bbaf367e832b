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
