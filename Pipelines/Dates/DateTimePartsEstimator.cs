using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data.Delimited;
using MlToolkit.Pipelines.Transforms;

namespace MlToolkit.Pipelines.Dates;

/// <summary>
/// <c>mlContext.Transforms.ExpandDateTime(...)</c>: a date column to its numeric parts (see
/// <see cref="DateTimePartsTransformer"/>). Nothing is learned, so <see cref="Fit"/> only checks the input column and
/// hands out the one stateless transformer.
/// </summary>
/// <param name="outputColumnName">The vector column written.</param>
/// <param name="inputColumnName">The date column read.</param>
/// <param name="order">How dates written as text order their parts.</param>
public sealed class DateTimePartsEstimator(string outputColumnName, string inputColumnName, DateOrder order = DateOrder.YearFirst) : IEstimator<DateTimePartsTransformer>
{
    private readonly DateTimePartsTransformer _transformer = new(outputColumnName, inputColumnName, order);

    /// <inheritdoc/>
    public DateTimePartsTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        _transformer.GetOutputSchema(input.Schema);
        return _transformer;
    }

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return SchemaShapes.FromSchema(_transformer.GetOutputSchema(SchemaShapes.ToSchema(inputSchema)));
    }
}
