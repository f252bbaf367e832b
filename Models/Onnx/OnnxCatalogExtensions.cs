using Microsoft.ML;

namespace MlToolkit.Models.Onnx;

/// <summary>ONNX export from ML.NET's model catalog: <c>mlContext.Model.ExportOnnx(model, "model.onnx")</c>.</summary>
public static class OnnxCatalogExtensions
{
    /// <summary>Writes the torch network of <paramref name="model"/> to an ONNX file; see <see cref="TorchOnnxExporter"/>.</summary>
    public static OnnxExportResult ExportOnnx(this ModelOperationsCatalog catalog, ITransformer model, string path)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return TorchOnnxExporter.Export(model, path);
    }
}
