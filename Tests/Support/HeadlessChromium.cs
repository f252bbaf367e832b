using System.Text.Json;
using System.Text.RegularExpressions;

namespace MlToolkit.Tests.Support;

/// <summary>Debian's headless Chromium (the <c>chromium</c> package, which .ci/run installs): renders a page as a user's browser would.</summary>
public static class HeadlessChromium
{
    /// <summary>The browser's path, or null when none is installed.</summary>
    public static string? Path { get; } = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists);

    public const string SkipReason = "headless Chromium is not installed (apt install chromium; .ci/run installs it)";

    /// <summary>What a page did once loaded: its DOM after scripts ran, and every error it raised or logged.</summary>
    public sealed record Rendered(string Dom, IReadOnlyList<string> Errors);

    /// <summary>
    /// Loads a copy of <paramref name="page"/> with a first script that records uncaught errors and
    /// <c>console.error</c> calls into the DOM, lets its scripts run, and returns the resulting DOM and errors.
    /// </summary>
    public static Rendered Render(string page, string workFolder)
    {
        var browser = Path ?? throw new InvalidOperationException(SkipReason);
        const string recorder = "<script>window.__errors=[];window.addEventListener('error',function(e){__errors.push(String(e.message));});"
            + "(function(){var original=console.error;console.error=function(){__errors.push(Array.prototype.join.call(arguments,' '));original.apply(console,arguments);};})();"
            + "window.addEventListener('load',function(){setTimeout(function(){document.body.setAttribute('data-errors',JSON.stringify(__errors));},500);});</script>";
        var html = File.ReadAllText(page);
        var copy = System.IO.Path.Combine(workFolder, "rendered-" + System.IO.Path.GetFileName(page));
        File.WriteAllText(copy, Regex.Replace(html, "<head>", "<head>" + recorder.Replace("$", "$$"), RegexOptions.None, TimeSpan.FromSeconds(5)));
        var result = ProcessRunner.Run(browser, new[] { "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=10000", "--dump-dom", new Uri(copy).AbsoluteUri },
            workFolder, TimeSpan.FromMinutes(2));
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"chromium exited with {result.ExitCode}: {result.Error}");
        var recorded = Regex.Match(result.Out, "data-errors=\"([^\"]*)\"");
        if (!recorded.Success)
            throw new InvalidOperationException("The page never finished loading (no data-errors attribute on its body).");
        var errors = JsonSerializer.Deserialize<List<string>>(System.Net.WebUtility.HtmlDecode(recorded.Groups[1].Value)) ?? new List<string>();
        return new Rendered(result.Out, errors);
    }

    /// <summary>Writes a PNG screenshot of <paramref name="page"/> at the given window size.</summary>
    public static void Screenshot(string page, string png, int width, int height)
    {
        var browser = Path ?? throw new InvalidOperationException(SkipReason);
        var result = ProcessRunner.Run(browser, new[] { "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--virtual-time-budget=10000",
            $"--window-size={width},{height}", $"--screenshot={png}", new Uri(page).AbsoluteUri }, System.IO.Path.GetDirectoryName(png)!, TimeSpan.FromMinutes(2));
        if (result.ExitCode != 0 || !File.Exists(png))
            throw new InvalidOperationException($"chromium wrote no screenshot (exit {result.ExitCode}): {result.Error}");
    }
}

/// <summary>A fact that needs headless Chromium: skipped, with the reason, when it is not installed.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (HeadlessChromium.Path is null)
            Skip = HeadlessChromium.SkipReason;
    }
}
