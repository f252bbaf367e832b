using Google.Protobuf;
using Microsoft.ML;
using MlToolkit.Data;
using MlToolkit.Data.IO;
using MlToolkit.Models.Ensembles;
using MlToolkit.Models.Persistence;
using MlToolkit.Pipelines.Dates;
using MlToolkit.Trainers.Torch.Scoring;

namespace MlToolkit.Models.Onnx;

/// <summary>
/// ONNX export of a trained pipeline, whichever kind its predictor is: a torch network (<see cref="TorchOnnxExporter"/>),
/// one of ML.NET's own trainers such as LightGBM, FastTree, L-BFGS or SDCA (through ML.NET's converter), or an AutoML
/// ensemble of those (the members' graphs side by side, averaged with the ensemble's weights). The file's outputs are
/// <c>Score</c>, and <c>Probability</c> for binary models that have one; it reads the raw input columns when the
/// transforms before the predictor convert, else the feature vector.
/// </summary>
public static class OnnxExporter
{
    /// <summary>Writes <paramref name="model"/> to <paramref name="path"/> (replaced only once complete).</summary>
    /// <param name="model">A pipeline (or a <see cref="TrainedModel"/>) ending in a torch network, an ML.NET predictor or an ensemble of them.</param>
    /// <param name="path">The .onnx file to write.</param>
    /// <param name="inputSchema">The pipeline's input schema, to export the transforms before the predictor; a trained model's own by default.</param>
    /// <exception cref="ArgumentException">
    /// The pipeline has no predictor that exports (a torch network without an exporter, an ML.NET predictor without an
    /// ONNX converter), or it is an ensemble with a member that does not export from the raw columns.
    /// </exception>
    public static OnnxExportResult Export(ITransformer model, string path, DataViewSchema? inputSchema = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var (onnx, result) = Build(model, inputSchema);
        DescribeDates(onnx, result.DatePartInputs);
        if (model is TrainedModel trained)
            Describe(onnx, trained.Description);
        AtomicFile.Write(path, onnx.WriteTo);
        return result with { Path = Path.GetFullPath(path) };
    }

    /// <summary>Metadata key: the task (MulticlassClassification, BinaryClassification, Regression).</summary>
    public const string TaskKey = "mltoolkit.task";

    /// <summary>Metadata key: the label column's name.</summary>
    public const string LabelKey = "mltoolkit.label";

    /// <summary>Metadata key: multiclass, the classes of Score's columns in order, as a JSON array.</summary>
    public const string ClassesKey = "mltoolkit.classes";

    /// <summary>Metadata key: binary, the class whose probability Probability is.</summary>
    public const string PositiveClassKey = "mltoolkit.positive_class";

    /// <summary>
    /// Metadata key: the inputs that read a date column as its parts (<see cref="OnnxExportResult.DatePartInputs"/>), as a
    /// JSON object from each input's name to its parts' names in order.
    /// </summary>
    public const string DatePartsKey = "mltoolkit.date_parts";

    /// <summary>
    /// What Score and Probability mean, as the file's metadata (ONNX Runtime's <c>ModelMetadata.CustomMetadataMap</c>):
    /// without it a multiclass Score is a row of numbers in an order the file does not tell.
    /// </summary>
    private static void Describe(global::Onnx.ModelProto onnx, ModelDescription description)
    {
        void Add(string key, string value) => AddMetadata(onnx, key, value);
        Add(TaskKey, description.Task.ToString());
        Add(LabelKey, description.LabelColumn);
        if (description.Task == PredictionTask.MulticlassClassification)
            Add(ClassesKey, System.Text.Json.JsonSerializer.Serialize(description.Classes));
        if (description.Task == PredictionTask.BinaryClassification && description.PositiveClass is { } positive)
            Add(PositiveClassKey, positive);
    }

    /// <summary>Which inputs read a date's parts, in any pipeline's file: a caller must compute them, so the file says so.</summary>
    private static void DescribeDates(global::Onnx.ModelProto onnx, IReadOnlyList<string> dateInputs)
    {
        if (dateInputs.Count > 0)
            AddMetadata(onnx, DatePartsKey, System.Text.Json.JsonSerializer.Serialize(dateInputs.ToDictionary(i => i, _ => DateTimePartsTransformer.PartNames)));
    }

    private static void AddMetadata(global::Onnx.ModelProto onnx, string key, string value) =>
        onnx.MetadataProps.Add(new global::Onnx.StringStringEntryProto { Key = key, Value = value });

    /// <summary>The ONNX model of <paramref name="model"/> and what it holds, written nowhere (<see cref="OnnxExportResult.Path"/> is empty).</summary>
    internal static (global::Onnx.ModelProto Model, OnnxExportResult Result) Build(ITransformer model, DataViewSchema? inputSchema)
    {
        var parts = PipelineParts.Flatten(model is TrainedModel trained ? trained.Scorer : model).ToList();
        inputSchema ??= (model as TrainedModel)?.InputSchema;
        if (parts.OfType<EnsembleTransformer>().FirstOrDefault() is { } ensemble)
            return EnsembleOnnxExport.Build(ensemble, parts, inputSchema);
        if (parts.Any(p => p is TorchPredictionTransformer))
            return TorchOnnxExporter.Build(parts, inputSchema);
        if (MlNetOnnxExporter.Find(parts) is { } found)
            return MlNetOnnxExporter.Build(parts, found.Index, inputSchema);
        throw new ArgumentException("The pipeline has no predictor to export: neither a torch network nor an ML.NET trainer's model.", nameof(model));
    }
}
