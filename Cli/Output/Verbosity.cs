namespace MlToolkit.Cli.Output;

/// <summary>How much a long-running command reports while it works.</summary>
internal enum Verbosity
{
    /// <summary>Only the final result.</summary>
    Quiet,

    /// <summary>Live progress bars on a terminal, one line per finished trial otherwise.</summary>
    Normal,

    /// <summary>A line for every event: trial started, each epoch, finished, with full errors.</summary>
    Diagnostic,
}
