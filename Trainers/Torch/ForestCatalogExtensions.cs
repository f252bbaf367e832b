using Microsoft.ML;
using MlToolkit.Data;
using MlToolkit.Trainers.Torch.Forests;

namespace MlToolkit.Trainers.Torch;

/// <summary>The random forest and extra-trees trainer on ML.NET's task catalogs.</summary>
public static class ForestCatalogExtensions
{
    /// <summary>A multiclass random forest (or extra-trees); see <see cref="ForestTrainer.Options"/>.</summary>
    /// <param name="catalog">The multiclass trainers catalog.</param>
    /// <param name="labelColumnName">Key-typed label column.</param>
    /// <param name="featureColumnName">Known-size Single vector column (no scaling needed).</param>
    /// <param name="trees">Trees.</param>
    /// <param name="kind">Random forest or extra-trees.</param>
    public static ForestTrainer Forest(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int trees = 100, ForestKind kind = ForestKind.RandomForest) =>
        Forest(catalog, Flat(labelColumnName, featureColumnName, trees, kind));

    /// <summary>A multiclass forest with every setting given.</summary>
    public static ForestTrainer Forest(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, ForestTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new ForestTrainer(PredictionTask.MulticlassClassification, options);
    }

    /// <summary>A binary random forest (or extra-trees); see <see cref="ForestTrainer.Options"/>.</summary>
    /// <param name="catalog">The binary trainers catalog.</param>
    /// <param name="labelColumnName">Boolean label column.</param>
    /// <param name="featureColumnName">Known-size Single vector column (no scaling needed).</param>
    /// <param name="trees">Trees.</param>
    /// <param name="kind">Random forest or extra-trees.</param>
    public static ForestTrainer Forest(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int trees = 100, ForestKind kind = ForestKind.RandomForest) =>
        Forest(catalog, Flat(labelColumnName, featureColumnName, trees, kind));

    /// <summary>A binary forest with every setting given.</summary>
    public static ForestTrainer Forest(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, ForestTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new ForestTrainer(PredictionTask.BinaryClassification, options);
    }

    /// <summary>A regression random forest (or extra-trees); see <see cref="ForestTrainer.Options"/>.</summary>
    /// <param name="catalog">The regression trainers catalog.</param>
    /// <param name="labelColumnName">Single label column.</param>
    /// <param name="featureColumnName">Known-size Single vector column (no scaling needed).</param>
    /// <param name="trees">Trees.</param>
    /// <param name="kind">Random forest or extra-trees.</param>
    public static ForestTrainer Forest(this RegressionCatalog.RegressionTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int trees = 100, ForestKind kind = ForestKind.RandomForest) =>
        Forest(catalog, Flat(labelColumnName, featureColumnName, trees, kind));

    /// <summary>A regression forest with every setting given.</summary>
    public static ForestTrainer Forest(this RegressionCatalog.RegressionTrainers catalog, ForestTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new ForestTrainer(PredictionTask.Regression, options);
    }

    private static ForestTrainer.Options Flat(string label, string features, int trees, ForestKind kind) =>
        new() { LabelColumnName = label, FeatureColumnName = features, Trees = trees, Kind = kind };
}
