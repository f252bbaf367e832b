namespace MlToolkit.Pipelines.Persistence;

/// <summary>A model file that cannot be read: not a model, truncated, tampered with, or from a newer version.</summary>
public sealed class ModelFormatException : MlToolkitException
{
    /// <summary>Creates the exception with a message naming the file and what is wrong.</summary>
    public ModelFormatException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the underlying error.</summary>
    public ModelFormatException(string message, Exception innerException) : base(message, innerException) { }
}
