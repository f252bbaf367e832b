using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;

namespace MlToolkit.Tests.Support;

/// <summary>Edits inside saved model files, as a user (or damage) would make them.</summary>
public static class ModelFiles
{
    /// <summary>Rewrites manifest.json inside the model zip at <paramref name="path"/>, leaving every other entry alone.</summary>
    public static void EditManifest(string path, Action<JsonObject> edit)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        var entry = zip.GetEntry("manifest.json")!;
        JsonObject manifest;
        using (var reader = new StreamReader(entry.Open()))
            manifest = JsonNode.Parse(reader.ReadToEnd())!.AsObject();
        edit(manifest);
        entry.Delete();
        using var writer = new StreamWriter(zip.CreateEntry("manifest.json").Open(), new UTF8Encoding(false));
        writer.Write(manifest.ToJsonString());
    }
}
