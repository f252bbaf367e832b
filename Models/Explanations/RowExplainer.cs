using Microsoft.ML;
using MlToolkit.Data.IO;

namespace MlToolkit.Models.Explanations;

/// <summary>
/// What the per-row explainers (Kernel SHAP, LIME) share: each explained row is put first in a table above the
/// reference rows (background or training), the explained columns are found, and the class to explain is settled.
/// </summary>
public abstract class RowExplainer
{
    private readonly ColumnTable _reference;
    private readonly HashSet<string> _ignore;

    private protected RowExplainer(TrainedModel model, ColumnTable reference, IReadOnlyList<string> ignoreColumns, string? className)
    {
        Model = model ?? throw new ArgumentNullException(nameof(model));
        if (reference.Rows == 0)
            throw new ArgumentException("The reference data (background or training rows) has no rows.", nameof(reference));
        if (className is not null && !model.Description.Classes.Contains(className))
            throw new ArgumentException($"Class '{className}' is not one of the model's: {string.Join(", ", model.Description.Classes)}.", nameof(className));
        _reference = reference;
        _ignore = ignoreColumns.ToHashSet(StringComparer.Ordinal);
        ClassName = className;
        Output = new ExplainedOutput(model);
    }

    private protected TrainedModel Model { get; }

    private protected ExplainedOutput Output { get; }

    private protected string? ClassName { get; }

    /// <summary>Explains every row of <paramref name="rows"/> (the same columns as the reference data).</summary>
    public IReadOnlyList<RowExplanation> Explain(IDataView rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var table = ColumnTable.Read(rows);
        return Enumerable.Range(0, table.Rows).Select(row =>
        {
            var source = table.Take(new[] { row }).Concat(_reference);
            return Explain(source, ExplainedColumns.Of(Model, source, _ignore), ClassIndex(source), row);
        }).ToList();
    }

    /// <summary>Explains source row 0 (the reference rows follow it) on <paramref name="features"/>, for class <paramref name="classIndex"/>.</summary>
    private protected abstract RowExplanation Explain(ColumnTable source, int[] features, int classIndex, int row);

    /// <summary>The class named in the options, else the one the model predicts for source row 0 (0 for binary and regression).</summary>
    private int ClassIndex(ColumnTable source) => ClassName is { } name
        ? Model.Description.Classes.ToList().IndexOf(name)
        : Output.PredictedClass(source.Compose(Enumerable.Range(0, source.Schema.Count).Select(_ => new int[1]).ToArray()));
}
