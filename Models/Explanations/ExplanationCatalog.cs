using Microsoft.ML;

namespace MlToolkit.Models.Explanations;

/// <summary>Explanations of any MlToolkit model, from an <see cref="MLContext"/>: <c>mlContext.Explanations().KernelShap(model, background, rows)</c>.</summary>
public sealed class ExplanationCatalog
{
    internal ExplanationCatalog(MLContext mlContext) => MLContext = mlContext;

    /// <summary>The context this catalog hangs off.</summary>
    public MLContext MLContext { get; }

    /// <summary>Permutation importance of each raw input column of <paramref name="data"/> (labelled); see <see cref="Explanations.PermutationImportance"/>.</summary>
    public PermutationImportanceResult PermutationImportance(TrainedModel model, IDataView data, PfiOptions? options = null) =>
        Explanations.PermutationImportance.Compute(MLContext, model, data, options);

    /// <summary>Kernel SHAP values of every row of <paramref name="rows"/> against <paramref name="background"/> (e.g. training rows).</summary>
    public IReadOnlyList<RowExplanation> KernelShap(TrainedModel model, IDataView background, IDataView rows, ShapOptions? options = null) =>
        new KernelShap(model, background, options).Explain(rows);

    /// <summary>LIME surrogates for every row of <paramref name="rows"/>, with column statistics from <paramref name="training"/>.</summary>
    public IReadOnlyList<RowExplanation> Lime(TrainedModel model, IDataView training, IDataView rows, LimeOptions? options = null) =>
        new Lime(model, training, options).Explain(rows);
}

/// <summary>The <c>Explanations()</c> entry point on <see cref="MLContext"/>.</summary>
public static class ExplanationCatalogExtensions
{
    /// <summary>MlToolkit's explanations catalog.</summary>
    public static ExplanationCatalog Explanations(this MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        return new ExplanationCatalog(mlContext);
    }
}
