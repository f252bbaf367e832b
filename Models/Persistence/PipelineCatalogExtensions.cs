using System.Text.Json.Nodes;
using Microsoft.ML;
using MlToolkit.Pipelines.Persistence;

namespace MlToolkit.Models.Persistence;

/// <summary>
/// Save and load whole fitted pipelines, including torch transformers, as one file:
/// <c>mlContext.Model.SavePipeline(model, data.Schema, "model.zip")</c>.
/// </summary>
public static class PipelineCatalogExtensions
{
    internal const string PipelineSection = "pipeline";

    /// <summary>Saves <paramref name="model"/> and its input schema to <paramref name="path"/> (atomically; see <see cref="ModelArchive"/>).</summary>
    public static void SavePipeline(this ModelOperationsCatalog catalog, ITransformer model, DataViewSchema inputSchema, string path)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        if (model is TrainedModel trained)
        {
            // One container: a trained model keeps its description (task, classes, label encoding) when saved as a pipeline.
            trained.Save(new MLContext(1), path);
            return;
        }
        var (manifest, parts) = PipelineParts.Write(catalog, model, inputSchema, "pipeline/");
        ModelArchive.Write(path, new JsonObject { [PipelineSection] = manifest }, parts);
    }

    /// <summary>Loads a pipeline saved by <see cref="SavePipeline"/>, verifying every part's checksum first.</summary>
    /// <exception cref="ModelFormatException">The file is missing, damaged, or not a pipeline.</exception>
    public static ITransformer LoadPipeline(this ModelOperationsCatalog catalog, string path, out DataViewSchema inputSchema)
    {
        var archive = ModelArchive.Read(path);
        if (archive.Body[PipelineSection] is not JsonObject manifest)
        {
            // A model saved by 'mltoolkit train' or AutoML: the same container with a description; it scores as a pipeline too.
            var model = TrainedModel.Load(archive, new MLContext(1));
            inputSchema = model.InputSchema;
            return model;
        }
        return PipelineParts.Read(catalog, manifest, archive, out inputSchema);
    }
}
