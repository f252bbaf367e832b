namespace MlToolkit.Cli;

/// <summary>The process exit codes of <c>mltoolkit</c> (documented in README.md).</summary>
public static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Success = 0;

    /// <summary>An unexpected internal error (a bug: please report it with the message).</summary>
    public const int InternalError = 1;

    /// <summary>The command line is wrong: unknown command or option, missing or invalid value.</summary>
    public const int UsageError = 2;

    /// <summary>The input cannot be used: missing or malformed data or model file, missing column, unfit label.</summary>
    public const int InputError = 3;

    /// <summary>The native TorchSharp/libtorch runtime could not be loaded.</summary>
    public const int RuntimeError = 4;

    /// <summary>
    /// No usable model: an AutoML run completed no trial (all failed, were pruned, or the budget ran out first), or the
    /// trained model scores NaN or infinity. Nothing was saved.
    /// </summary>
    public const int NoModel = 5;

    /// <summary>Stopped by Ctrl+C or a cancellation.</summary>
    public const int Cancelled = 130;
}
