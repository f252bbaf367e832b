using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data;
using MlToolkit.Trainers.Torch.Heads;

namespace MlToolkit.Trainers.Torch.Training;

/// <summary>The column of a teacher's class probabilities that distillation reads, checked against the head.</summary>
internal static class TeacherScores
{
    /// <summary>The column named <paramref name="name"/>, or null when not distilling.</summary>
    /// <exception cref="NotSupportedException">The head is not multiclass.</exception>
    /// <exception cref="SchemaException">The column is missing or not a vector of one probability per class.</exception>
    public static DataViewSchema.Column? Column(string? name, DataViewSchema schema, PredictionHead head)
    {
        if (name is null)
            return null;
        if (head.Task != PredictionTask.MulticlassClassification)
            throw new NotSupportedException($"Distillation is implemented for multiclass classification; this trainer is for {head.Task}.");
        var column = schema.GetColumnOrNull(name)
            ?? throw new SchemaException($"Teacher score column '{name}' not found. Columns: {string.Join(", ", schema.Select(c => c.Name))}.");
        return column.Type is VectorDataViewType { Size: var size } vector && vector.ItemType == NumberDataViewType.Single && size == head.OutputSize
            ? column
            : throw new SchemaException($"Teacher score column '{name}' holds {column.Type}; distillation needs a vector of {head.OutputSize} class probabilities (Single).");
    }
}
