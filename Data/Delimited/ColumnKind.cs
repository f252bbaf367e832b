namespace MlToolkit.Data.Delimited;

/// <summary>How a delimited column's text is stored in the <c>IDataView</c>.</summary>
public enum ColumnKind
{
    /// <summary>A 32-bit float (<c>Single</c>); missing values become NaN.</summary>
    Numeric,

    /// <summary><c>true</c>/<c>false</c> (any case), stored as <c>Boolean</c>.</summary>
    Boolean,

    /// <summary>Text, stored as <c>ReadOnlyMemory&lt;char&gt;</c>; missing values become empty text.</summary>
    Text,
}

/// <summary>What a column is for when building features, inferred from its values.</summary>
public enum ColumnPurpose
{
    /// <summary>A number to use as it is (after imputing missing values).</summary>
    Numeric,

    /// <summary>A true/false flag.</summary>
    Boolean,

    /// <summary>Text drawn from a small set of repeated values: one-hot encode it.</summary>
    Categorical,

    /// <summary>Free text: tokenize or n-gram featurize it.</summary>
    Text,

    /// <summary>Paths of image files: load them into a pixel tensor.</summary>
    ImagePath,

    /// <summary>Calendar dates or date-times (see <see cref="DateText"/>): expand them into numeric parts.</summary>
    DateTime,

    /// <summary>
    /// A key that differs in every row (an id, an order number, a row number): it says nothing about other rows, so it
    /// is not a feature. Give the column a type (<c>--column-type</c>, <see cref="DelimitedLoadOptions.ColumnKinds"/>)
    /// to use it anyway.
    /// </summary>
    Identifier,
}
