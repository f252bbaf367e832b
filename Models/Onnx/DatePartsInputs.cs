using Microsoft.ML;
using MlToolkit.Pipelines.Dates;
using Onnx;

namespace MlToolkit.Models.Onnx;

/// <summary>
/// The date columns a file reads as their parts. ONNX has no operator that reads a date from text, so the
/// <see cref="DateTimePartsTransformer"/>s at the head of a pipeline (where the featurizer puts them) stay out of the
/// file, and the rest of the pipeline is converted from the columns they write: the file reads each date column as a
/// float [batch, 9] tensor of <see cref="DateTimePartsTransformer.PartNames"/>, under the name the parts go by.
/// </summary>
internal sealed record DatePartsInputs(IReadOnlyList<ITransformer> Rest, DataViewSchema Schema, IReadOnlyList<string> Columns)
{
    /// <summary>
    /// <paramref name="parts"/> without their leading date-parts transforms (<see cref="Rest"/>), the schema those
    /// write (<see cref="Schema"/>: the raw columns, date columns as their parts) and the columns they write.
    /// </summary>
    public static DatePartsInputs Of(IReadOnlyList<ITransformer> parts, DataViewSchema inputSchema)
    {
        var dates = parts.TakeWhile(p => p is DateTimePartsTransformer).Cast<DateTimePartsTransformer>().ToList();
        if (dates.Count == 0)
            return new DatePartsInputs(parts, inputSchema, Array.Empty<string>());
        var schema = dates.Aggregate(inputSchema, (current, date) => date.GetOutputSchema(current));
        return new DatePartsInputs(parts.Skip(dates.Count).ToList(), Visible(schema), dates.Select(d => d.OutputColumnName).ToList());
    }

    // A date's parts written under its own name hide the text column; ML.NET's converter would name the graph's input
    // for the parts "when0" beside a hidden "when".
    private static DataViewSchema Visible(DataViewSchema schema)
    {
        var builder = new DataViewSchema.Builder();
        foreach (var column in schema.Where(c => !c.IsHidden))
            builder.AddColumn(column.Name, column.Type, column.Annotations);
        return builder.ToSchema();
    }

    /// <summary>
    /// Puts <paramref name="model"/>'s inputs in the order of <paramref name="inputSchema"/> (the parts columns come last
    /// in <see cref="Schema"/>) and returns those of <see cref="Columns"/> it reads.
    /// </summary>
    public IReadOnlyList<string> OrderInputs(ModelProto model, DataViewSchema inputSchema)
    {
        if (Columns.Count == 0)
            return Columns;
        var ordered = model.Graph.Input.OrderBy(i => inputSchema.GetColumnOrNull(i.Name)?.Index ?? int.MaxValue).ToList();
        model.Graph.Input.Clear();
        model.Graph.Input.Add(ordered);
        return ordered.Select(i => i.Name).Where(Columns.Contains).ToList();
    }
}
