using Microsoft.ML;

namespace MlToolkit.Experiments.Candidates;

/// <summary>
/// A LightGBM estimator whose failure to grow any split is reported as such. LightGBM then returns trees of one leaf,
/// which ML.NET cannot convert: it fails with "Value cannot be null. (Parameter 'items')" (dotnet/machinelearning#5022),
/// a message that names neither LightGBM nor the cause.
/// </summary>
internal sealed class LightGbmSingleLeafGuard(int minimumLeafRows, IEstimator<ITransformer> lightGbm) : IEstimator<ITransformer>
{
    /// <inheritdoc/>
    /// <exception cref="UnusableModelException">LightGBM grew no split.</exception>
    public ITransformer Fit(IDataView input)
    {
        try
        {
            return lightGbm.Fit(input);
        }
        catch (ArgumentNullException error) when (error.ParamName == "items")
        {
            throw new UnusableModelException(
                $"LightGBM grew no split: each leaf must hold at least {minimumLeafRows} rows (min_leaf_examples), and no split of these "
                + "rows into two such leaves improved the fit. ML.NET cannot keep trees of one leaf (dotnet/machinelearning#5022). "
                + "Lower min_leaf_examples, give more rows, or pick another trainer.", error);
        }
    }

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) => lightGbm.GetOutputSchema(inputSchema);
}
