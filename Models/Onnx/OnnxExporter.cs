using Microsoft.ML;
using MlToolkit.Models.Persistence;
using MlToolkit.Trainers.Torch.Scoring;

namespace MlToolkit.Models.Onnx;

/// <summary>
/// ONNX export of a trained pipeline, whichever kind its predictor is: a torch network (<see cref="TorchOnnxExporter"/>)
/// or one of ML.NET's own trainers such as LightGBM, FastTree, L-BFGS or SDCA (through ML.NET's converter). Either way
/// the file's outputs are <c>Score</c>, and <c>Probability</c> for binary models that have one, and it reads the raw
/// input columns when the transforms before the predictor convert, else the feature vector.
/// </summary>
public static class OnnxExporter
{
    /// <summary>Writes <paramref name="model"/> to <paramref name="path"/> (replaced only once complete).</summary>
    /// <param name="model">A pipeline (or a <see cref="TrainedModel"/>) ending in a torch network or an ML.NET predictor.</param>
    /// <param name="path">The .onnx file to write.</param>
    /// <param name="inputSchema">The pipeline's input schema, to export the transforms before the predictor; a trained model's own by default.</param>
    /// <exception cref="ArgumentException">
    /// The pipeline has no predictor that exports: an ensemble, a torch network without an exporter, or an ML.NET
    /// predictor without an ONNX converter.
    /// </exception>
    public static OnnxExportResult Export(ITransformer model, string path, DataViewSchema? inputSchema = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var parts = PipelineParts.Flatten(model is TrainedModel trained ? trained.Scorer : model).ToList();
        if (parts.Any(p => p is TorchPredictionTransformer or Ensembles.EnsembleTransformer))
            return TorchOnnxExporter.Export(model, path, inputSchema);
        if (MlNetOnnxExporter.Find(parts) is { } found)
            return MlNetOnnxExporter.Export(parts, found.Index, inputSchema ?? (model as TrainedModel)?.InputSchema, path);
        throw new ArgumentException("The pipeline has no predictor to export: neither a torch network nor an ML.NET trainer's model.", nameof(model));
    }
}
