using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MlToolkit.NotebookRunner;

/// <summary>A Polyglot/Jupyter notebook (.ipynb, nbformat 4): its C# code cells, its expectations, and its saved outputs.</summary>
public sealed class NotebookFile
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly JsonObject _root;

    private NotebookFile(string path, JsonObject root) => (Path, _root) = (path, root);

    /// <summary>Where it was read from.</summary>
    public string Path { get; }

    /// <summary>Reads <paramref name="path"/>.</summary>
    public static NotebookFile Read(string path) =>
        new(path, JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InvalidDataException($"{path} is not a notebook (no JSON object)."));

    /// <summary>The code cells, in order.</summary>
    public IReadOnlyList<JsonObject> CodeCells => Cells.Where(c => c["cell_type"]?.GetValue<string>() == "code").ToList();

    /// <summary>Regular expressions that the notebook's text output must match (<c>metadata.mltoolkit.expect</c>).</summary>
    public IReadOnlyList<string> Expectations => Metadata("expect");

    /// <summary>Fragments that the HTML the notebook displays must contain (<c>metadata.mltoolkit.html</c>): rich display worked.</summary>
    public IReadOnlyList<string> ExpectedHtml => Metadata("html");

    /// <summary>
    /// Regular expressions over deterministic output (<c>metadata.mltoolkit.same</c>): each must match the same text in
    /// the saved outputs as in a fresh run.
    /// </summary>
    public IReadOnlyList<string> DeterministicPatterns => Metadata("same");

    /// <summary>A code cell's source as one string.</summary>
    public static string Source(JsonObject cell) => Text(cell["source"]);

    /// <summary>Notebook text, stored either as one string or as an array of lines, as one string.</summary>
    public static string Text(JsonNode? text) => text switch
    {
        JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>())),
        JsonValue value => value.GetValue<string>(),
        _ => "",
    };

    /// <summary>All the text the saved outputs hold, cell after cell.</summary>
    public string SavedText => string.Concat(CodeCells.SelectMany(c => (c["outputs"] as JsonArray ?? new JsonArray()).OfType<JsonObject>()).Select(CellRun.OutputText));

    /// <summary>Replaces the code cells' outputs with <paramref name="runs"/> (one per code cell, in order) and writes the file.</summary>
    public void SaveOutputs(IReadOnlyList<CellRun> runs)
    {
        var cells = CodeCells;
        if (runs.Count != cells.Count)
            throw new ArgumentException($"{runs.Count} cell runs for {cells.Count} code cells.", nameof(runs));
        for (var i = 0; i < cells.Count; i++)
        {
            cells[i]["execution_count"] = i + 1;
            cells[i]["outputs"] = new JsonArray(runs[i].Outputs.Select(o => (JsonNode)o.DeepClone()).ToArray());
        }
        File.WriteAllText(Path, _root.ToJsonString(Indented) + "\n");
    }

    private IReadOnlyList<string> Metadata(string key) =>
        (_root["metadata"]?["mltoolkit"]?[key] as JsonArray)?.Select(e => e!.GetValue<string>()).ToList() ?? new List<string>();

    private IEnumerable<JsonObject> Cells => (_root["cells"] as JsonArray ?? new JsonArray()).OfType<JsonObject>();
}
