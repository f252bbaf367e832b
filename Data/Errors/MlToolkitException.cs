namespace MlToolkit;

/// <summary>
/// Base class of every error MlToolkit raises on purpose. Catch this to handle any toolkit failure;
/// argument errors still surface as the standard <see cref="ArgumentException"/> family.
/// </summary>
public class MlToolkitException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    public MlToolkitException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public MlToolkitException(string message, Exception innerException) : base(message, innerException) { }
}
