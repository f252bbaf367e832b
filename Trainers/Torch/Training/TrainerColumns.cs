using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data;
using MlToolkit.Pipelines.Transforms;
using MlToolkit.Trainers.Torch.Heads;
using MlToolkit.Trainers.Torch.Scoring;

namespace MlToolkit.Trainers.Torch.Training;

/// <summary>The column checks and output schema every torch estimator shares, iterative or closed-form.</summary>
internal static class TrainerColumns
{
    /// <summary>The feature column: present, and a known-size vector of Single (or a Single).</summary>
    public static DataViewSchema.Column Features(DataViewSchema schema, string name)
    {
        var column = schema.GetColumnOrNull(name)
            ?? throw new SchemaException($"Feature column '{name}' not found. Columns: {string.Join(", ", schema.Select(c => c.Name))}.");
        if (TorchPredictionTransformer.FeatureSizeOf(column.Type) < 1)
            throw new SchemaException($"Feature column '{name}' has type {column.Type}; torch trainers need a known-size vector of Single (or a Single).");
        return column;
    }

    /// <summary>The label column, present.</summary>
    public static DataViewSchema.Column Label(DataViewSchema schema, string name) =>
        schema.GetColumnOrNull(name)
        ?? throw new SchemaException($"Label column '{name}' not found. Columns: {string.Join(", ", schema.Select(c => c.Name))}.");

    /// <summary>The input columns followed by the head's output columns, after checking the features and the label.</summary>
    public static SchemaShape OutputSchema(SchemaShape inputSchema, string featureColumn, string labelColumn, Func<DataViewSchema.Column, PredictionHead> createHead)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var schema = SchemaShapes.ToSchema(inputSchema);
        // A SchemaShape keeps a vector's kind but not its size (ToSchema makes it 1), so only presence and type are
        // checked here; Fit checks the size against the image or sequence shape.
        Features(schema, featureColumn);
        var head = createHead(Label(schema, labelColumn));
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(schema);
        foreach (var column in head.OutputColumns)
            builder.AddColumn(column.Name, column.Type, column.Annotations);
        return SchemaShapes.FromSchema(builder.ToSchema());
    }

    /// <summary>Rows with a label, and up to 3 distinct labels among them; tells the head the labels' mean and standard deviation.</summary>
    public static (long Rows, int Distinct) LabelCensus(IDataView data, DataViewSchema.Column label, PredictionHead head)
    {
        long rows = 0;
        double sum = 0, sumOfSquares = 0;
        var distinct = new HashSet<float>();
        using var cursor = data.GetRowCursor(new[] { label });
        var read = head.LabelReader(cursor, label);
        while (cursor.MoveNext())
        {
            var value = read();
            if (float.IsNaN(value))
                continue;
            rows++;
            sum += value;
            sumOfSquares += (double)value * value;
            if (distinct.Count < 3)
                distinct.Add(value);
        }
        if (rows > 0)
        {
            var mean = sum / rows;
            head.ObserveLabels(mean, Math.Sqrt(Math.Max(sumOfSquares / rows - mean * mean, 0)));
        }
        return (rows, distinct.Count);
    }

    /// <summary>The error for training data without labelled rows.</summary>
    public static SchemaException NoRows(string labelColumn) =>
        new($"The training data has no rows with a label in '{labelColumn}'; there is nothing to train on.");
}
