using MlToolkit.Data;
using MlToolkit.Data.IO;

namespace MlToolkit.Models.Explanations;

/// <summary>Which columns of a table are explained: the model's raw inputs, without the label and those left out.</summary>
internal static class ExplainedColumns
{
    /// <exception cref="SchemaException">An input the model needs is missing from the data.</exception>
    public static int[] Of(TrainedModel model, ColumnTable table, IReadOnlyCollection<string> ignore)
    {
        var label = model.Description.LabelColumn;
        foreach (var column in model.InputSchema.Where(c => !c.IsHidden && c.Name != label))
        {
            if (table.Schema.GetColumnOrNull(column.Name) is null && !model.IsPipeline)
                throw new SchemaException($"Column '{column.Name}' the model needs is not in the data. Columns: {string.Join(", ", table.Schema.Select(c => c.Name))}.");
        }
        var inputs = model.InputSchema.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        return table.Schema.Where(c => inputs.Contains(c.Name) && c.Name != label && !ignore.Contains(c.Name)).Select(c => c.Index).ToArray();
    }

    /// <summary>A value as text for a report.</summary>
    public static string Format(object value) => value switch
    {
        float f => f.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        ReadOnlyMemory<char> text => text.ToString(),
        Microsoft.ML.Data.VBuffer<float> vector => $"[{vector.Length} values]",
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
    };
}
