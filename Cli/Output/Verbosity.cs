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

/// <summary>The <c>--verbosity</c> option the long-running commands share.</summary>
internal static class VerbosityOption
{
    /// <summary>The option, with <paramref name="description"/> saying what each level shows for the command.</summary>
    public static System.CommandLine.Option<string> Create(string description)
    {
        var option = new System.CommandLine.Option<string>("--verbosity", "-v") { Description = description, DefaultValueFactory = _ => "normal" };
        option.AcceptOnlyFromAmong("quiet", "normal", "diagnostic", "q", "n", "diag");
        return option;
    }

    /// <summary>The level a value of the option names.</summary>
    public static Verbosity Parse(string? value) => value switch
    {
        "quiet" or "q" => Verbosity.Quiet,
        "diagnostic" or "diag" => Verbosity.Diagnostic,
        _ => Verbosity.Normal,
    };
}
