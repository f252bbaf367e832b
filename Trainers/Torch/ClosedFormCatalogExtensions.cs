using Microsoft.ML;
using MlToolkit.Data;
using MlToolkit.Trainers.Torch.Kernels;
using MlToolkit.Trainers.Torch.Neighbors;

namespace MlToolkit.Trainers.Torch;

/// <summary>The closed-form trainers (nearest neighbours, RBF kernel machine) on ML.NET's task catalogs.</summary>
public static class ClosedFormCatalogExtensions
{
    /// <summary>A multiclass k-nearest-neighbours model; see <see cref="NearestNeighborsTrainer.Options"/>.</summary>
    /// <param name="catalog">The multiclass trainers catalog.</param>
    /// <param name="labelColumnName">Key-typed label column.</param>
    /// <param name="featureColumnName">Known-size Single vector column, scaled.</param>
    /// <param name="neighbors">k.</param>
    /// <param name="weighting">How the neighbours' votes are weighted.</param>
    public static NearestNeighborsTrainer NearestNeighbors(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int neighbors = 5, NeighborWeighting weighting = NeighborWeighting.Uniform) =>
        NearestNeighbors(catalog, new NearestNeighborsTrainer.Options { LabelColumnName = labelColumnName, FeatureColumnName = featureColumnName, Neighbors = neighbors, Weighting = weighting });

    /// <summary>A multiclass k-nearest-neighbours model with every setting given.</summary>
    public static NearestNeighborsTrainer NearestNeighbors(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, NearestNeighborsTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new NearestNeighborsTrainer(PredictionTask.MulticlassClassification, options);
    }

    /// <summary>A multiclass RBF kernel machine (kernel ridge); see <see cref="KernelMachineTrainer.Options"/>.</summary>
    /// <param name="catalog">The multiclass trainers catalog.</param>
    /// <param name="labelColumnName">Key-typed label column.</param>
    /// <param name="featureColumnName">Known-size Single vector column, scaled.</param>
    /// <param name="regularization">Ridge penalty λ.</param>
    /// <param name="gamma">RBF γ; null for scikit-learn's "scale".</param>
    public static KernelMachineTrainer KernelMachine(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", double regularization = 0.1, double? gamma = null) =>
        KernelMachine(catalog, new KernelMachineTrainer.Options { LabelColumnName = labelColumnName, FeatureColumnName = featureColumnName, Regularization = regularization, Gamma = gamma });

    /// <summary>A multiclass RBF kernel machine with every setting given.</summary>
    public static KernelMachineTrainer KernelMachine(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, KernelMachineTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new KernelMachineTrainer(PredictionTask.MulticlassClassification, options);
    }

    /// <summary>A binary k-nearest-neighbours model; see <see cref="NearestNeighborsTrainer.Options"/>.</summary>
    /// <param name="catalog">The binary trainers catalog.</param>
    /// <param name="labelColumnName">Boolean label column.</param>
    /// <param name="featureColumnName">Known-size Single vector column, scaled.</param>
    /// <param name="neighbors">k.</param>
    /// <param name="weighting">How the neighbours' votes are weighted.</param>
    public static NearestNeighborsTrainer NearestNeighbors(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int neighbors = 5, NeighborWeighting weighting = NeighborWeighting.Uniform) =>
        NearestNeighbors(catalog, new NearestNeighborsTrainer.Options { LabelColumnName = labelColumnName, FeatureColumnName = featureColumnName, Neighbors = neighbors, Weighting = weighting });

    /// <summary>A binary k-nearest-neighbours model with every setting given.</summary>
    public static NearestNeighborsTrainer NearestNeighbors(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, NearestNeighborsTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new NearestNeighborsTrainer(PredictionTask.BinaryClassification, options);
    }

    /// <summary>A binary RBF kernel machine (kernel ridge); see <see cref="KernelMachineTrainer.Options"/>.</summary>
    /// <param name="catalog">The binary trainers catalog.</param>
    /// <param name="labelColumnName">Boolean label column.</param>
    /// <param name="featureColumnName">Known-size Single vector column, scaled.</param>
    /// <param name="regularization">Ridge penalty λ.</param>
    /// <param name="gamma">RBF γ; null for scikit-learn's "scale".</param>
    public static KernelMachineTrainer KernelMachine(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", double regularization = 0.1, double? gamma = null) =>
        KernelMachine(catalog, new KernelMachineTrainer.Options { LabelColumnName = labelColumnName, FeatureColumnName = featureColumnName, Regularization = regularization, Gamma = gamma });

    /// <summary>A binary RBF kernel machine with every setting given.</summary>
    public static KernelMachineTrainer KernelMachine(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, KernelMachineTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new KernelMachineTrainer(PredictionTask.BinaryClassification, options);
    }

    /// <summary>A regression k-nearest-neighbours model; see <see cref="NearestNeighborsTrainer.Options"/>.</summary>
    /// <param name="catalog">The regression trainers catalog.</param>
    /// <param name="labelColumnName">Single label column.</param>
    /// <param name="featureColumnName">Known-size Single vector column, scaled.</param>
    /// <param name="neighbors">k.</param>
    /// <param name="weighting">How the neighbours' votes are weighted.</param>
    public static NearestNeighborsTrainer NearestNeighbors(this RegressionCatalog.RegressionTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int neighbors = 5, NeighborWeighting weighting = NeighborWeighting.Uniform) =>
        NearestNeighbors(catalog, new NearestNeighborsTrainer.Options { LabelColumnName = labelColumnName, FeatureColumnName = featureColumnName, Neighbors = neighbors, Weighting = weighting });

    /// <summary>A regression k-nearest-neighbours model with every setting given.</summary>
    public static NearestNeighborsTrainer NearestNeighbors(this RegressionCatalog.RegressionTrainers catalog, NearestNeighborsTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new NearestNeighborsTrainer(PredictionTask.Regression, options);
    }

    /// <summary>A regression RBF kernel machine (kernel ridge); see <see cref="KernelMachineTrainer.Options"/>.</summary>
    /// <param name="catalog">The regression trainers catalog.</param>
    /// <param name="labelColumnName">Single label column.</param>
    /// <param name="featureColumnName">Known-size Single vector column, scaled.</param>
    /// <param name="regularization">Ridge penalty λ.</param>
    /// <param name="gamma">RBF γ; null for scikit-learn's "scale".</param>
    public static KernelMachineTrainer KernelMachine(this RegressionCatalog.RegressionTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", double regularization = 0.1, double? gamma = null) =>
        KernelMachine(catalog, new KernelMachineTrainer.Options { LabelColumnName = labelColumnName, FeatureColumnName = featureColumnName, Regularization = regularization, Gamma = gamma });

    /// <summary>A regression RBF kernel machine with every setting given.</summary>
    public static KernelMachineTrainer KernelMachine(this RegressionCatalog.RegressionTrainers catalog, KernelMachineTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new KernelMachineTrainer(PredictionTask.Regression, options);
    }
}
