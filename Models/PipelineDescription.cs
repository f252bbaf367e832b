using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data;
using MlToolkit.Data.Delimited;
using MlToolkit.Models.Persistence;
using MlToolkit.Pipelines.Labels;
using MlToolkit.Pipelines.Persistence;

namespace MlToolkit.Models;

/// <summary>
/// What a pipeline saved with <c>SavePipeline</c> predicts, read from its output columns as ML.NET's evaluators read
/// them: a <c>Score</c> vector is multiclass (classes from its slot names), a <c>Probability</c> or Boolean
/// <c>PredictedLabel</c> is binary, a single <c>Score</c> is regression.
/// </summary>
internal static class PipelineDescription
{
    public static ModelDescription Infer(ITransformer pipeline, DataViewSchema inputSchema, string labelColumn, string source)
    {
        var output = pipeline.GetOutputSchema(inputSchema);
        var score = output.GetColumnOrNull("Score")
            ?? throw new ModelFormatException($"{source}: the pipeline adds no Score column, so it is not a prediction model; load it with mlContext.Model.LoadPipeline");
        var predicted = output.GetColumnOrNull("PredictedLabel");
        var (task, classes) = score.Type switch
        {
            VectorDataViewType vector => (PredictionTask.MulticlassClassification, ClassNames(score, predicted, vector.Size)),
            _ when output.GetColumnOrNull("Probability") is not null || predicted?.Type is BooleanDataViewType =>
                (PredictionTask.BinaryClassification, new[] { "False", "True" }),
            _ => (PredictionTask.Regression, Array.Empty<string>()),
        };
        var trainer = PipelineParts.Flatten(pipeline).LastOrDefault()?.GetType().Name.Split('`')[0] ?? "pipeline";
        return new ModelDescription(task, labelColumn, classes, null, trainer, InputColumns(inputSchema));
    }

    private static IReadOnlyList<string> ClassNames(DataViewSchema.Column score, DataViewSchema.Column? predicted, int count)
    {
        if (score.HasSlotNames())
        {
            VBuffer<ReadOnlyMemory<char>> names = default;
            score.GetSlotNames(ref names);
            return names.DenseValues().Select(n => n.ToString()).ToArray();
        }
        return predicted?.Type is KeyDataViewType ? LabelEncoding.KeyNames(predicted.Value)
            : Enumerable.Range(0, count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    }

    /// <summary>The input columns as a delimited file would hold them, when every one is a scalar number, Boolean or text.</summary>
    private static IReadOnlyList<DelimitedColumn> InputColumns(DataViewSchema inputSchema)
    {
        var columns = new List<DelimitedColumn>();
        foreach (var column in inputSchema.Where(c => !c.IsHidden))
        {
            ColumnKind? kind = column.Type switch
            {
                NumberDataViewType n when n == NumberDataViewType.Single => ColumnKind.Numeric,
                BooleanDataViewType => ColumnKind.Boolean,
                TextDataViewType => ColumnKind.Text,
                _ => null,
            };
            if (kind is null)
                return Array.Empty<DelimitedColumn>();
            columns.Add(DelimitedColumn.OfKind(column.Name, columns.Count, kind.Value));
        }
        return columns;
    }
}
