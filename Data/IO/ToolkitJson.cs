using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace MlToolkit.Data.IO;

/// <summary>
/// The JSON settings MlToolkit writes and reads with: web naming, enums as strings, and an explicit reflection
/// resolver. The resolver matters: .NET file-based apps and trimmed apps turn reflection-based serialization off
/// by default, and the toolkit must work there (notebooks run as file-based apps).
/// </summary>
public static class ToolkitJson
{
    /// <summary>Compact output.</summary>
    public static JsonSerializerOptions Compact { get; } = Create(indented: false);

    /// <summary>Indented output, for files people read and for <c>--json</c>.</summary>
    public static JsonSerializerOptions Indented { get; } = Create(indented: true);

    private static JsonSerializerOptions Create(bool indented)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = indented,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly();
        return options;
    }
}
