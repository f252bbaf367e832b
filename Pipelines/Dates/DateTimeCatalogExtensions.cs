using Microsoft.ML;
using MlToolkit.Data.Delimited;

namespace MlToolkit.Pipelines.Dates;

/// <summary><c>mlContext.Transforms.ExpandDateTime(...)</c>.</summary>
public static class DateTimeCatalogExtensions
{
    /// <summary>
    /// Writes year, month, day, day of the week, day of the year, hour, minute, second and days since 2000 of a date
    /// column (text, <see cref="DateTime"/> or <see cref="DateTimeOffset"/>) as one Single vector.
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">The vector column written.</param>
    /// <param name="inputColumnName">The date column; default: <paramref name="outputColumnName"/>.</param>
    /// <param name="order">How dates written as text order their parts (<see cref="DateText"/>); year first by default.</param>
    public static DateTimePartsEstimator ExpandDateTime(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null, DateOrder order = DateOrder.YearFirst)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new DateTimePartsEstimator(outputColumnName, inputColumnName ?? outputColumnName, order);
    }
}
