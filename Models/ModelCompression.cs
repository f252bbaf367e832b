using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Models.Persistence;
using MlToolkit.Trainers.Torch.Compression;
using MlToolkit.Data;
using MlToolkit.Trainers.Torch.Scoring;
using MlToolkit.Trainers.Torch.Training;

namespace MlToolkit.Models;

/// <summary>Smaller models: the torch network of a model, compressed, in an otherwise unchanged model.</summary>
public static class ModelCompression
{
    /// <summary>
    /// The model with its torch network magnitude-pruned to <paramref name="sparsity"/> (ranked per layer or across the
    /// network, <paramref name="scope"/>) and fine-tuned on <paramref name="data"/> (labelled raw rows, as the model
    /// reads them) for <paramref name="epochs"/> epochs.
    /// </summary>
    /// <exception cref="ArgumentException">The model's predictor is not a torch network.</exception>
    public static (TrainedModel Model, double Sparsity) Prune(MLContext mlContext, TrainedModel model, double sparsity, IDataView data, int epochs = 2,
        PruningScope scope = PruningScope.PerLayer)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(model);
        var (parts, index) = TorchPart(model, "pruned");
        var (torch, featured, fineTuning) = FineTuningInputs(mlContext, model, parts, index, data, epochs);
        var result = MagnitudePruning.Prune(torch, sparsity, featured, fineTuning, scope);
        parts[index] = result.Model;
        return (With(model, parts), result.Sparsity);
    }

    /// <summary>
    /// The model with <paramref name="fraction"/> of the units of each MLP layer or of the channels of each CNN block
    /// removed (see <see cref="StructuredPruning"/>) and fine-tuned on <paramref name="data"/> for <paramref name="epochs"/> epochs.
    /// </summary>
    /// <exception cref="ArgumentException">The model's predictor is not a torch network.</exception>
    /// <exception cref="NotSupportedException">The network is not an MLP or a CNN.</exception>
    public static (TrainedModel Model, StructuredPruningResult Result) PruneStructured(MLContext mlContext, TrainedModel model, double fraction, IDataView data, int epochs = 2)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(model);
        var (parts, index) = TorchPart(model, "pruned");
        var (torch, featured, fineTuning) = FineTuningInputs(mlContext, model, parts, index, data, epochs);
        var result = StructuredPruning.Prune(torch, fraction, featured, fineTuning);
        parts[index] = result.Model;
        return (With(model, parts), result);
    }

    /// <summary>
    /// The student with its torch network retrained from scratch (same architecture) on <paramref name="data"/>'s labels
    /// and <paramref name="teacher"/>'s class probabilities for those rows (see <see cref="Distillation"/>). The teacher
    /// is any multiclass model over the same classes: an ensemble, a pipeline, a bigger network.
    /// </summary>
    /// <param name="mlContext">The ML.NET context.</param>
    /// <param name="student">A multiclass model whose predictor is a torch network.</param>
    /// <param name="teacher">A multiclass model with the same classes, in the same order.</param>
    /// <param name="data">Labelled raw rows both models read.</param>
    /// <param name="settings">Epochs, learning rate, seed, weight α and temperature T.</param>
    /// <exception cref="ArgumentException">Either model is not multiclass, the classes differ, or the student is not a torch network.</exception>
    public static TrainedModel Distill(MLContext mlContext, TrainedModel student, TrainedModel teacher, IDataView data, DistillationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(student);
        ArgumentNullException.ThrowIfNull(teacher);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(settings);
        foreach (var (model, role) in new[] { (student, "student"), (teacher, "teacher") })
            if (model.Description.Task != PredictionTask.MulticlassClassification)
                throw new ArgumentException($"Distillation is implemented for multiclass classification; the {role} is a {model.Description.Task} model.");
        if (!student.Description.Classes.SequenceEqual(teacher.Description.Classes))
            throw new ArgumentException($"The teacher's classes ({string.Join(", ", teacher.Description.Classes)}) are not the student's ({string.Join(", ", student.Description.Classes)}).");
        var (parts, index) = TorchPart(student, "distilled");
        var scored = teacher.Score(data);
        var withTeacher = mlContext.Transforms.CopyColumns(TeacherColumn, "Score").Fit(scored).Transform(scored);
        var featured = mlContext.Data.Cache(new TransformerChain<ITransformer>(parts.Take(index).ToArray()).Transform(student.LabelEncoder.Transform(withTeacher)));
        var torch = (TorchPredictionTransformer)parts[index];
        var options = new FineTuningOptions
        {
            Epochs = settings.Epochs, LearningRate = settings.LearningRate, Seed = settings.Seed, FeatureColumnName = torch.FeatureColumnName,
            TeacherScoreColumnName = TeacherColumn, DistillationWeight = settings.Weight, DistillationTemperature = settings.Temperature,
        };
        parts[index] = Distillation.Retrain(torch, featured, options);
        return With(student, parts);
    }

    private const string TeacherColumn = "TeacherScore";

    /// <summary>The torch part, the rows as it reads them (the pipeline's earlier transforms applied, cached) and fine-tuning settings.</summary>
    private static (TorchPredictionTransformer Torch, IDataView Featured, FineTuningOptions Options) FineTuningInputs(
        MLContext mlContext, TrainedModel model, List<ITransformer> parts, int index, IDataView data, int epochs)
    {
        ArgumentNullException.ThrowIfNull(data);
        var torch = (TorchPredictionTransformer)parts[index];
        var featured = mlContext.Data.Cache(new TransformerChain<ITransformer>(parts.Take(index).ToArray()).Transform(model.LabelEncoder.Transform(data)));
        return (torch, featured, new FineTuningOptions { Epochs = epochs, FeatureColumnName = torch.FeatureColumnName });
    }

    private static TrainedModel With(TrainedModel model, List<ITransformer> parts) =>
        new(model.Description, model.InputSchema, model.LabelEncoder, new TransformerChain<ITransformer>(parts.ToArray()));

    private static (List<ITransformer> Parts, int Index) TorchPart(TrainedModel model, string what)
    {
        var parts = PipelineParts.Flatten(model.Scorer).ToList();
        var index = parts.FindIndex(p => p is TorchPredictionTransformer);
        return index >= 0 ? (parts, index)
            : throw new ArgumentException($"The model's predictor ({model.Description.Trainer}) is not a torch network; only torch networks are {what}.", nameof(model));
    }

    /// <summary>The model with its torch network's weights int8-quantized per channel (see <see cref="Int8Quantization"/>).</summary>
    /// <exception cref="ArgumentException">The model's predictor is not a torch network.</exception>
    public static TrainedModel QuantizeInt8(TrainedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var (parts, index) = TorchPart(model, "quantized");
        parts[index] = Int8Quantization.Quantize((TorchPredictionTransformer)parts[index]);
        return With(model, parts);
    }
}

/// <summary>How <see cref="ModelCompression.Distill"/> trains the student.</summary>
/// <param name="Epochs">Training epochs of the fresh student network.</param>
/// <param name="Weight">α: the share of the loss that matches the teacher (the rest matches the labels).</param>
/// <param name="Temperature">T: both distributions are softened by it (the teacher term is scaled by T²).</param>
/// <param name="LearningRate">Adam's learning rate.</param>
/// <param name="Seed">Seed of the initial weights and the batch order.</param>
public sealed record DistillationSettings(int Epochs = 20, double Weight = 0.9, double Temperature = 4, double LearningRate = 1e-3, int Seed = 1);
