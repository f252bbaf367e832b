namespace MlToolkit;

/// <summary>
/// Training finished but produced no model worth keeping: its scores are NaN or infinite on some rows (a diverged
/// booster, an overflowing softmax). Nothing is saved; the message says on how many rows and what to try.
/// </summary>
public sealed class UnusableModelException : MlToolkitException
{
    /// <summary>Creates the exception with a message saying what was wrong with the model.</summary>
    public UnusableModelException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the library error that revealed the problem.</summary>
    public UnusableModelException(string message, Exception innerException) : base(message, innerException) { }
}
