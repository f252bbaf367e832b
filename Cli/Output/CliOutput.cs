using Spectre.Console;

namespace MlToolkit.Cli.Output;

/// <summary>Where a command writes: results to <see cref="Out"/>, diagnostics and errors to <see cref="Error"/>.</summary>
/// <param name="Out">Standard output (results, JSON).</param>
/// <param name="Error">Standard error (errors, progress).</param>
/// <param name="Live">The terminal for live progress bars; null when output is redirected (then progress is plain lines).</param>
public sealed record CliOutput(TextWriter Out, TextWriter Error, IAnsiConsole? Live = null);
