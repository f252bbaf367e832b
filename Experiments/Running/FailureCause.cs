using System.Runtime.ExceptionServices;

namespace MlToolkit.Experiments.Running;

/// <summary>Which error of a chain a failed trial reports.</summary>
internal static class FailureCause
{
    /// <summary>
    /// The outermost <see cref="MlToolkitException"/> in <paramref name="error"/>'s chain, which says what went wrong in the
    /// user's terms and wraps the library error that revealed it; otherwise the innermost cause, since ML.NET wraps the
    /// real error in its own (a failed cursor, a failed training step).
    /// </summary>
    public static Exception Of(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        for (var cause = error; cause is not null; cause = cause.InnerException)
        {
            if (cause is MlToolkitException)
                return cause;
        }
        return error.GetBaseException();
    }

    /// <summary>
    /// Throws the <see cref="MlToolkitException"/> that a wrapper (ML.NET's cache and cursors) hides in
    /// <paramref name="error"/>'s chain, with the stack trace it was thrown with; returns when there is none to unwrap.
    /// </summary>
    public static void ThrowUnwrapped(Exception error)
    {
        if (Of(error) is MlToolkitException toolkit && !ReferenceEquals(toolkit, error))
            ExceptionDispatchInfo.Throw(toolkit);
    }
}
