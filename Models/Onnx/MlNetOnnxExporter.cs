using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Models.Persistence;
using Onnx;

namespace MlToolkit.Models.Onnx;

/// <summary>
/// ONNX export of a pipeline whose predictor is one of ML.NET's own (LightGBM, FastTree, L-BFGS, SDCA, …), through
/// ML.NET's converter (Microsoft.ML.OnnxConverter). The file keeps only what <c>Score</c> (and <c>Probability</c> for a
/// calibrated binary model) need, under those names and in the shapes <see cref="TorchOnnxExporter"/> writes: one value
/// per row for binary and regression, one per class for multiclass. When the transforms before the predictor do not
/// convert, the file holds the predictor alone and reads the feature vector.
/// </summary>
internal static class MlNetOnnxExporter
{
    /// <summary>The ML.NET predictor among <paramref name="parts"/> and its index, or null when there is none.</summary>
    public static (ISingleFeaturePredictionTransformer<object> Predictor, int Index)? Find(IReadOnlyList<ITransformer> parts)
    {
        for (var i = parts.Count - 1; i >= 0; i--)
        {
            if (parts[i] is ISingleFeaturePredictionTransformer<object> predictor && IsMlNet(parts[i]))
                return (predictor, i);
        }
        return null;
    }

    /// <summary>The ONNX model of the pipeline <paramref name="parts"/> (the predictor at <paramref name="index"/>), and what it holds; <see cref="OnnxExportResult.Path"/> is empty.</summary>
    /// <exception cref="ArgumentException">ML.NET cannot convert the predictor itself.</exception>
    public static (ModelProto Model, OnnxExportResult Result) Build(IReadOnlyList<ITransformer> parts, int index, DataViewSchema? inputSchema)
    {
        var predictor = (ISingleFeaturePredictionTransformer<object>)parts[index];
        var preceding = parts.Take(index).ToList();
        var featureColumn = predictor.FeatureColumnName;
        var featureSchema = FeatureSchema(preceding, inputSchema, predictor);
        var outputs = Outputs(predictor, featureSchema);
        var whole = RawColumnsGraph.Convert(parts.Take(index + 1).ToList(), inputSchema, converted => PipelinePrefix.Select(converted, outputs),
            (e, _) => $"ML.NET's ONNX converter fails on the transforms before the predictor: {e.Message}");
        var written = whole.Model ?? PredictorAlone(predictor, featureSchema, outputs);
        var featureSize = featureSchema[featureColumn].Type is VectorDataViewType vector ? vector.Size : 1;
        var leftOut = whole.Model is null ? preceding.Select(TorchOnnxExporter.NameOf).ToList() : new List<string>();
        return (written, new OnnxExportResult("", featureColumn, featureSize, outputs.Select(o => o.Name).ToList(), leftOut,
            written.Graph.Input.Select(i => i.Name).ToList(), whole.Reason) { DatePartInputs = whole.DateInputs });
    }

    /// <summary>Whether <paramref name="transform"/> is ML.NET's own, which its converter may know.</summary>
    public static bool IsMlNet(ITransformer transform) =>
        (transform.GetType().Assembly.GetName().Name ?? "").StartsWith("Microsoft.ML", StringComparison.Ordinal);

    /// <summary>The predictor's Score, and Probability when it has one; one value per row unless the Score is a vector (multiclass).</summary>
    private static List<PipelinePrefix.Output> Outputs(ISingleFeaturePredictionTransformer<object> predictor, DataViewSchema featureSchema)
    {
        var schema = predictor.GetOutputSchema(featureSchema);
        var outputs = new List<PipelinePrefix.Output> { new("Score", Flat: schema["Score"].Type is not VectorDataViewType) };
        if (schema.GetColumnOrNull("Probability") is not null)
            outputs.Add(new("Probability", Flat: true));
        return outputs;
    }

    private static ModelProto PredictorAlone(ISingleFeaturePredictionTransformer<object> predictor, DataViewSchema featureSchema, List<PipelinePrefix.Output> outputs)
    {
        try
        {
            return PipelinePrefix.Select(PipelinePrefix.Convert(predictor, featureSchema), outputs);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new ArgumentException($"ML.NET's ONNX converter cannot convert the predictor {predictor.Model.GetType().Name}: {e.Message}", e);
        }
    }

    /// <summary>The schema the predictor reads: the earlier transforms' output, or the feature column alone when they are not known.</summary>
    private static DataViewSchema FeatureSchema(List<ITransformer> preceding, DataViewSchema? inputSchema, ISingleFeaturePredictionTransformer<object> predictor)
    {
        if (inputSchema is not null)
            return preceding.Aggregate(inputSchema, (schema, part) => part.GetOutputSchema(schema));
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(predictor.FeatureColumnName, predictor.FeatureColumnType);
        return builder.ToSchema();
    }
}
