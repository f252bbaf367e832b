using System.Globalization;
using MlToolkit.Cli;
using Spectre.Console;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl+C stops the running work cleanly; a second one kills the process.
    if (cancellation.IsCancellationRequested)
        return;
    e.Cancel = true;
    cancellation.Cancel();
};
// Progress bars only on a real terminal; redirected output gets plain lines that logs can keep.
var live = Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive ? null : AnsiConsole.Console;
return CliApplication.Run(args, Console.Out, Console.Error, live, cancellation.Token);
