using Microsoft.ML;

namespace MlToolkit.Models.Onnx;

/// <summary>ONNX export from ML.NET's model catalog: <c>mlContext.Model.ExportOnnx(model, "model.onnx")</c>.</summary>
public static class OnnxCatalogExtensions
{
    /// <summary>
    /// Writes <paramref name="model"/> to an ONNX file: its torch network or ML.NET predictor, and the ML.NET transforms
    /// before it when <paramref name="inputSchema"/> is given (or the model is a <see cref="TrainedModel"/>) and they
    /// convert; see <see cref="OnnxExporter"/>.
    /// </summary>
    public static OnnxExportResult ExportOnnx(this ModelOperationsCatalog catalog, ITransformer model, string path, DataViewSchema? inputSchema = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return OnnxExporter.Export(model, path, inputSchema);
    }
}
