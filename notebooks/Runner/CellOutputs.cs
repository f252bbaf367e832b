using System.Text.Json.Nodes;

namespace MlToolkit.NotebookRunner;

/// <summary>Turns one cell's kernel events into Jupyter (nbformat 4) outputs, as VS Code saves them.</summary>
internal sealed class CellOutputs
{
    private readonly List<JsonObject> _outputs = new();
    private readonly Dictionary<string, JsonObject> _displays = new(StringComparer.Ordinal);
    private readonly int _executionCount;

    public CellOutputs(int executionCount) => _executionCount = executionCount;

    public void Add(KernelEvent kernelEvent)
    {
        switch (kernelEvent.Type)
        {
            case "StandardOutputValueProduced":
                AddStream("stdout", PlainText(kernelEvent.Body));
                break;
            case "StandardErrorValueProduced":
                AddStream("stderr", PlainText(kernelEvent.Body));
                break;
            case "DisplayedValueProduced":
                AddDisplay(kernelEvent.Body, "display_data");
                break;
            case "DisplayedValueUpdated":
                UpdateDisplay(kernelEvent.Body);
                break;
            case "ReturnValueProduced":
                AddDisplay(kernelEvent.Body, "execute_result");
                break;
        }
    }

    public CellRun Succeeded() => new(_outputs, null);

    public CellRun Failed(string message)
    {
        _outputs.Add(new JsonObject
        {
            ["output_type"] = "error",
            ["ename"] = "Error",
            ["evalue"] = message,
            ["traceback"] = new JsonArray(),
        });
        return new CellRun(_outputs, message);
    }

    /// <summary>Text split into lines that keep their line ends, as notebooks store it.</summary>
    public static JsonArray Lines(string text)
    {
        var lines = new JsonArray();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
            if (text[i] == '\n')
            {
                lines.Add(text[start..(i + 1)]);
                start = i + 1;
            }
        if (start < text.Length)
            lines.Add(text[start..]);
        return lines;
    }

    private static string PlainText(JsonObject body) =>
        (body["formattedValues"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault()?["value"]?.GetValue<string>() ?? "";

    private void AddStream(string name, string text)
    {
        if (text.Length == 0)
            return;
        if (_outputs.LastOrDefault() is { } last && last["output_type"]?.GetValue<string>() == "stream" && last["name"]?.GetValue<string>() == name)
        {
            var joined = CellRun.OutputText(last) + text;
            last["text"] = Lines(joined);
            return;
        }
        _outputs.Add(new JsonObject { ["output_type"] = "stream", ["name"] = name, ["text"] = Lines(text) });
    }

    private void AddDisplay(JsonObject body, string type)
    {
        var output = new JsonObject { ["output_type"] = type, ["data"] = Data(body), ["metadata"] = new JsonObject() };
        if (type == "execute_result")
            output["execution_count"] = _executionCount;
        _outputs.Add(output);
        if (body["valueId"]?.GetValue<string>() is { } id)
            _displays[id] = output;
    }

    private void UpdateDisplay(JsonObject body)
    {
        if (body["valueId"]?.GetValue<string>() is { } id && _displays.TryGetValue(id, out var shown))
            shown["data"] = Data(body);
        else
            AddDisplay(body, "display_data");
    }

    private static JsonObject Data(JsonObject body)
    {
        var data = new JsonObject();
        foreach (var value in (body["formattedValues"] as JsonArray ?? new JsonArray()).OfType<JsonObject>())
            if (value["mimeType"]?.GetValue<string>() is { } mime && value["value"]?.GetValue<string>() is { } text)
                data[mime] = Lines(text);
        return data;
    }
}
