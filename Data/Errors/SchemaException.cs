namespace MlToolkit;

/// <summary>
/// A dataset or model whose columns do not fit what an operation needs: a missing column, or a column
/// of the wrong type. The message names the column and the expected type.
/// </summary>
public sealed class SchemaException : MlToolkitException
{
    /// <summary>Creates the exception with a message naming the column and what was expected.</summary>
    public SchemaException(string message) : base(message) { }
}
