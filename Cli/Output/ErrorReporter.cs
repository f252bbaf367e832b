using MlToolkit.Trainers.Torch.Runtime;

namespace MlToolkit.Cli.Output;

/// <summary>Turns an exception into one clear line on standard error and the matching exit code.</summary>
public static class ErrorReporter
{
    /// <summary>Reports <paramref name="error"/> and returns the exit code for it.</summary>
    public static int Report(Exception error, TextWriter stderr)
    {
        var cause = Unwrap(error);
        var (code, message) = cause switch
        {
            OperationCanceledException => (ExitCodes.Cancelled, "cancelled; nothing was saved"),
            NativeLibraryLoadException native => (ExitCodes.RuntimeError, native.Message),
            UnusableModelException unusable => (ExitCodes.NoModel, unusable.Message),
            MlToolkitException toolkit => (ExitCodes.InputError, toolkit.Message),
            // A null argument is a bug wherever it surfaces (ML.NET raises one on degenerate tree ensembles), not a usage error.
            ArgumentNullException => (ExitCodes.InternalError, $"unexpected {cause.GetType().Name}: {cause.Message}"),
            // ML.NET and TorchSharp check the arguments our code passes them, not what the user typed: a failed check is a bug.
            ArgumentException when RaisedByLibrary(cause) => (ExitCodes.InternalError, $"unexpected {cause.GetType().Name}: {cause.Message}"),
            ArgumentException argument => (ExitCodes.UsageError, WithoutParameterName(argument)),
            _ => (ExitCodes.InternalError, $"unexpected {cause.GetType().Name}: {cause.Message}"),
        };
        stderr.WriteLine($"error: {message}");
        if (code == ExitCodes.InternalError)
            stderr.WriteLine(cause.StackTrace);
        return code;
    }

    /// <summary>The message without .NET's " (Parameter 'model')", which names a C# parameter the command-line user never wrote.</summary>
    private static string WithoutParameterName(ArgumentException argument)
    {
        var suffix = $" (Parameter '{argument.ParamName}')";
        return argument.ParamName is not null && argument.Message.EndsWith(suffix, StringComparison.Ordinal) ? argument.Message[..^suffix.Length] : argument.Message;
    }

    /// <summary>Whether <paramref name="error"/> was thrown inside ML.NET or TorchSharp rather than by MlToolkit or .NET itself.</summary>
    private static bool RaisedByLibrary(Exception error) =>
        error.TargetSite?.Module.Assembly.GetName().Name is { } assembly
        && (assembly.StartsWith("Microsoft.ML", StringComparison.Ordinal) || assembly.StartsWith("TorchSharp", StringComparison.Ordinal));

    /// <summary>The toolkit error inside wrappers such as ML.NET's (which rethrow cursor errors wrapped).</summary>
    private static Exception Unwrap(Exception error)
    {
        for (var current = error; current is not null; current = current.InnerException)
        {
            if (current is MlToolkitException or OperationCanceledException)
                return current;
        }
        return error is AggregateException { InnerExceptions.Count: 1 } aggregate ? Unwrap(aggregate.InnerExceptions[0]) : error;
    }
}
