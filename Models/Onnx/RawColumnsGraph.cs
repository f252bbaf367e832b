using Microsoft.ML;
using Microsoft.ML.Data;
using Onnx;

namespace MlToolkit.Models.Onnx;

/// <summary>
/// A pipeline's transforms through ML.NET's converter so that the file reads the raw columns (a date column as its
/// parts, <see cref="DatePartsInputs"/>), shared by the exporters of ML.NET's predictors and of torch networks.
/// </summary>
internal static class RawColumnsGraph
{
    /// <summary>The finished graph, or null and why not; and the inputs that read a date's parts.</summary>
    public sealed record Outcome(ModelProto? Model, string? Reason, IReadOnlyList<string> DateInputs)
    {
        public static Outcome Failed(string reason) => new(null, reason, Array.Empty<string>());
    }

    /// <summary>
    /// <paramref name="transforms"/> converted over <paramref name="inputSchema"/>, then <paramref name="finish"/>ed (the
    /// predictor's outputs kept, or the network joined behind); <paramref name="failure"/> says why when the converter
    /// throws, given the transforms it was handed after the date parts.
    /// </summary>
    public static Outcome Convert(IReadOnlyList<ITransformer> transforms, DataViewSchema? inputSchema, Func<ModelProto, ModelProto> finish,
        Func<Exception, DatePartsInputs, string> failure)
    {
        if (inputSchema is null)
            return Outcome.Failed("the pipeline's input schema is not known (pass inputSchema)");
        var dates = DatePartsInputs.Of(transforms, inputSchema);
        if (dates.Rest.FirstOrDefault(p => !MlNetOnnxExporter.IsMlNet(p)) is { } own)
            return Outcome.Failed($"{TorchOnnxExporter.NameOf(own)} has no ONNX converter");
        try
        {
            var model = finish(PipelinePrefix.Convert(new TransformerChain<ITransformer>(dates.Rest.ToArray()), dates.Schema));
            // ML.NET's converter drops a transform it cannot convert; then the graph reads that transform's output as an input.
            var made = model.Graph.Input.Select(i => i.Name).Where(n => dates.Schema.GetColumnOrNull(n) is null).ToList();
            return made.Count == 0 ? new Outcome(model, null, dates.OrderInputs(model, inputSchema))
                : Outcome.Failed($"ML.NET's ONNX converter left out the transforms that make {string.Join(", ", made)}");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Outcome.Failed(failure(e, dates));
        }
    }
}
