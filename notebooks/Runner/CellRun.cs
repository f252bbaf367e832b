using System.Text.Json.Nodes;

namespace MlToolkit.NotebookRunner;

/// <summary>What one code cell did in the kernel: its outputs in the notebook format, and the error if it failed.</summary>
/// <param name="Outputs">Jupyter (nbformat 4) output objects: streams, display data, the execution result, the error.</param>
/// <param name="Error">The kernel's failure message; null when the cell succeeded.</param>
public sealed record CellRun(IReadOnlyList<JsonObject> Outputs, string? Error)
{
    /// <summary>Everything the cell printed and displayed as text (standard output, then text/plain of displays), in order.</summary>
    public string Text => string.Concat(Outputs.Select(OutputText));

    /// <summary>The HTML the cell displayed (every text/html output), in order.</summary>
    public string Html => string.Concat(Outputs.Select(o => o["data"]?["text/html"] is { } html ? NotebookFile.Text(html) : ""));

    /// <summary>The text of one output object: a stream's text, or a display's text/plain (else text/html).</summary>
    public static string OutputText(JsonObject output) => output["output_type"]?.GetValue<string>() switch
    {
        "stream" => NotebookFile.Text(output["text"]),
        "display_data" or "execute_result" => NotebookFile.Text(output["data"]?["text/plain"] ?? output["data"]?["text/html"]),
        "error" => NotebookFile.Text(output["evalue"]),
        _ => "",
    };
}
