using System.CommandLine;
using Spectre.Console;
using MlToolkit.Cli.Commands;
using MlToolkit.Cli.Output;

namespace MlToolkit.Cli;

/// <summary>The <c>mltoolkit</c> command line: parses arguments and runs a command, in-process.</summary>
public static class CliApplication
{
    /// <summary>Runs the command line <paramref name="args"/>, writing to the given writers; returns the exit code (see <see cref="ExitCodes"/>).</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default) =>
        Run(args, stdout, stderr, live: null, cancellationToken);

    /// <summary>As <see cref="Run(string[], TextWriter, TextWriter, CancellationToken)"/>, drawing live progress on <paramref name="live"/> (a terminal) when given.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, IAnsiConsole? live, CancellationToken cancellationToken = default)
    {
        var output = new CliOutput(stdout, stderr, live);
        var root = new RootCommand("mltoolkit: train, evaluate and tune ML.NET and TorchSharp models.");
        root.Subcommands.Add(TrainCommand.Create(output));
        root.Subcommands.Add(AutomlCommand.Create(output));
        root.Subcommands.Add(EvaluateCommand.Create(output));
        root.Subcommands.Add(PredictCommand.Create(output));
        root.Subcommands.Add(ReportCommand.Create(output));
        root.Subcommands.Add(ExplainCommand.Create(output));
        root.Subcommands.Add(ExportCommand.Create(output));
        root.Subcommands.Add(CompressCommand.Create(output));
        root.Subcommands.Add(TrainersCommand.Create(output));
        root.Subcommands.Add(DoctorCommand.Create(output));

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
                stderr.WriteLine($"error: {error.Message}");
            stderr.WriteLine("Run 'mltoolkit --help' to see the commands and options.");
            return ExitCodes.UsageError;
        }
        return parsed.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr }, cancellationToken).GetAwaiter().GetResult();
    }
}
