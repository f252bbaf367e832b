using System.Text;
using System.Text.Json;

namespace MlToolkit.Tests.Support;

/// <summary>
/// Turns a Polyglot notebook's C# code cells into a .NET file-based app, since the dotnet-interactive kernel is not
/// available here: <c>#r</c>/<c>#!</c> lines are dropped (a <c>#:project</c> reference replaces them), <c>using</c>
/// directives are hoisted above the statements, and the kernel's <c>display</c> and <c>HTML</c> helpers become
/// shims that print. The notebook's <c>metadata.mltoolkit.expect</c> lists regular expressions its output must match.
/// </summary>
public static class NotebookScript
{
    public sealed record Converted(string Script, IReadOnlyList<string> Expect);

    public static Converted Convert(string notebookPath, string scriptPath)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(notebookPath));
        var root = document.RootElement;
        var usings = new List<string>();
        var body = new StringBuilder();
        foreach (var cell in root.GetProperty("cells").EnumerateArray().Where(c => c.GetProperty("cell_type").GetString() == "code"))
        {
            var source = string.Concat(cell.GetProperty("source").EnumerateArray().Select(l => l.GetString()));
            foreach (var line in source.Split('\n'))
            {
                var trimmed = line.Trim();
                if (trimmed.StartsWith("#r ", StringComparison.Ordinal) || trimmed.StartsWith("#!", StringComparison.Ordinal))
                    continue;
                if (trimmed.StartsWith("using ", StringComparison.Ordinal) && trimmed.EndsWith(';') && !trimmed.Contains('=') && !trimmed.Contains('('))
                {
                    if (!usings.Contains(trimmed))
                        usings.Add(trimmed);
                    continue;
                }
                body.AppendLine(line.TrimEnd('\r'));
            }
            body.AppendLine();
        }
        var project = Path.GetRelativePath(Path.GetDirectoryName(scriptPath)!, Path.Combine(RepoPaths.Root, "Experiments", "MlToolkit.Experiments.csproj"));
        var script = new StringBuilder()
            .AppendLine($"#:project {project}")
            // ML.NET's LoadFromEnumerable and PredictionEngine generate code at run time, which file-based apps disable by default.
            .AppendLine("#:property PublishAot=false")
            .AppendLine($"// Generated from {Path.GetFileName(notebookPath)} by the test suite; do not edit.")
            .AppendLine("#pragma warning disable CS8321")
            .AppendLine(string.Join(Environment.NewLine, usings))
            .AppendLine()
            .Append(body)
            .AppendLine("static void display(object? value) => Console.WriteLine(value?.ToString() ?? \"null\");")
            .AppendLine("static string HTML(string html) => html;")
            .ToString();
        File.WriteAllText(scriptPath, script);
        var expect = root.GetProperty("metadata").GetProperty("mltoolkit").GetProperty("expect").EnumerateArray().Select(e => e.GetString()!).ToList();
        return new Converted(scriptPath, expect);
    }
}
