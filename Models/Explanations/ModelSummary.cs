using Microsoft.ML;
using MlToolkit.Data.IO;

namespace MlToolkit.Models.Explanations;

/// <summary>A model's explanation at a glance, for reports: which columns matter, and why it predicts what it does for a few rows.</summary>
/// <param name="Importance">Permutation importance of every input column.</param>
/// <param name="Rows">Kernel SHAP explanations of the first rows.</param>
public sealed record ModelSummary(PermutationImportanceResult Importance, IReadOnlyList<RowExplanation> Rows)
{
    /// <summary>
    /// Explains <paramref name="model"/> on <paramref name="data"/> (labelled) cheaply enough to follow a search:
    /// importance over up to 1,000 rows with 3 shuffles, Kernel SHAP of the first <paramref name="rows"/> rows against 50
    /// background rows with up to 512 coalitions.
    /// </summary>
    public static ModelSummary Compute(MLContext mlContext, TrainedModel model, IDataView data, int rows = 3)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        var importance = mlContext.Explanations().PermutationImportance(model, data, new PfiOptions { Repeats = 3, MaxRows = 1000 });
        var first = ColumnTable.Read(data, rows).ToDataView();
        var explained = mlContext.Explanations().KernelShap(model, data, first, new ShapOptions { BackgroundRows = 50, Samples = 512 });
        return new ModelSummary(importance, explained);
    }
}
