using Microsoft.ML;

namespace MlToolkit.Experiments.AutoMl;

/// <summary>MlToolkit's AutoML, reached from an <see cref="MLContext"/>: <c>mlContext.AutoMl().CreateExperiment(data, "label")</c>.</summary>
public sealed class AutoMlCatalog
{
    internal AutoMlCatalog(MLContext mlContext) => MLContext = mlContext;

    /// <summary>The context this catalog hangs off.</summary>
    public MLContext MLContext { get; }

    /// <summary>An experiment that predicts <paramref name="labelColumnName"/> from the other columns of <paramref name="trainData"/>.</summary>
    public AutoMlExperiment CreateExperiment(IDataView trainData, string labelColumnName) => new(MLContext, trainData, labelColumnName);
}

/// <summary>The <c>AutoMl()</c> entry point on <see cref="MLContext"/>.</summary>
public static class AutoMlCatalogExtensions
{
    /// <summary>MlToolkit's AutoML catalog.</summary>
    public static AutoMlCatalog AutoMl(this MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        return new AutoMlCatalog(mlContext);
    }
}
