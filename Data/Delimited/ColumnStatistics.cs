namespace MlToolkit.Data.Delimited;

/// <summary>What schema inference saw of one column in the rows it read.</summary>
/// <param name="Values">Rows read.</param>
/// <param name="Missing">Empty or missing-token fields among them.</param>
/// <param name="Numeric">Fields that parse as numbers.</param>
/// <param name="Booleans">Fields that read true or false.</param>
/// <param name="AllIntegers">True when every numeric field is a whole number.</param>
/// <param name="DistinctValues">Distinct non-missing values seen, counted up to <see cref="DistinctCap"/>.</param>
/// <param name="MeanLength">Mean length in characters of the non-missing values.</param>
/// <param name="ImagePaths">Fields ending in an image file extension.</param>
/// <param name="Dates">Fields that read as dates or date-times (<see cref="DateText"/>).</param>
/// <param name="Spaced">Non-missing fields with white space inside them (words rather than one token).</param>
/// <param name="RowNumbers">True when no field is missing and the fields count rows: 0 or 1 first, then one more in each row.</param>
/// <param name="MonthFirstDates">Fields that read as dates written month first (<see cref="DateOrder.MonthFirst"/>).</param>
/// <param name="DayFirstDates">Fields that read as dates written day first (<see cref="DateOrder.DayFirst"/>).</param>
public sealed record ColumnStatistics(int Values, int Missing, int Numeric, int Booleans, bool AllIntegers, int DistinctValues, double MeanLength,
    int ImagePaths = 0, int Dates = 0, int Spaced = 0, bool RowNumbers = false, int MonthFirstDates = 0, int DayFirstDates = 0)
{
    /// <summary>Distinct values are counted up to this many.</summary>
    public const int DistinctCap = 10_000;

    /// <summary>Fields that are not missing.</summary>
    public int Present => Values - Missing;

    /// <summary>
    /// The order every present field reads as a date in: year first, or month first or day first when only one of
    /// those two reads them all; null when some field is no date, or when both read every one (all of <c>03/04/2024</c>'s
    /// kind), which the values cannot settle.
    /// </summary>
    public DateOrder? DateOrder => Present == 0 ? null
        : Dates == Present ? Delimited.DateOrder.YearFirst
        : MonthFirstDates == Present && DayFirstDates < Present ? Delimited.DateOrder.MonthFirst
        : DayFirstDates == Present && MonthFirstDates < Present ? Delimited.DateOrder.DayFirst
        : null;

    /// <summary>Every present field reads as a date both month first and day first, so the values cannot say which is meant.</summary>
    public bool AmbiguousDates => Present > 0 && MonthFirstDates == Present && DayFirstDates == Present;
}
