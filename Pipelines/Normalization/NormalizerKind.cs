using Microsoft.ML;

namespace MlToolkit.Pipelines.Normalization;

/// <summary>The normalizations MlToolkit exposes, one name each, over ML.NET's normalizers.</summary>
public enum NormalizerKind
{
    /// <summary>Scale each slot to [0, 1] by its minimum and maximum (ML.NET <c>NormalizeMinMax</c>).</summary>
    MinMax,

    /// <summary>Subtract the mean and divide by the standard deviation (<c>NormalizeMeanVariance</c>, centred).</summary>
    MeanVariance,

    /// <summary>For heavy-tailed positive data: the log-normal CDF with the mean and variance of the logarithm, mapping onto [0, 1] (<c>NormalizeLogMeanVariance</c>).</summary>
    LogMeanVariance,

    /// <summary>Subtract the median and divide by the 25–75% quantile range, robust to outliers (<c>NormalizeRobustScaling</c>).</summary>
    Robust,
}

/// <summary><c>mlContext.Transforms.Normalize(kind, column)</c>: the same call for every normalization.</summary>
public static class NormalizationCatalogExtensions
{
    /// <summary>The normalizer of <paramref name="kind"/> writing <paramref name="outputColumnName"/> from <paramref name="inputColumnName"/> (in place when null).</summary>
    public static IEstimator<ITransformer> Normalize(this TransformsCatalog catalog, NormalizerKind kind, string outputColumnName, string? inputColumnName = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputColumnName);
        return catalog.Normalize(kind, new[] { new InputOutputColumnPair(outputColumnName, inputColumnName ?? outputColumnName) });
    }

    /// <summary>One normalizer of <paramref name="kind"/> over several columns, each scaled on its own.</summary>
    public static IEstimator<ITransformer> Normalize(this TransformsCatalog catalog, NormalizerKind kind, InputOutputColumnPair[] columns)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(columns);
        return kind switch
        {
            NormalizerKind.MinMax => catalog.NormalizeMinMax(columns),
            NormalizerKind.MeanVariance => catalog.NormalizeMeanVariance(columns, fixZero: false),
            NormalizerKind.LogMeanVariance => catalog.NormalizeLogMeanVariance(columns, useCdf: true),
            NormalizerKind.Robust => catalog.NormalizeRobustScaling(columns),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown normalizer."),
        };
    }
}
