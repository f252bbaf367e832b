using MlToolkit.Data.IO;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MlToolkit.Pipelines.Persistence;

/// <summary>
/// The single-file container MlToolkit models are saved in: a zip holding a versioned JSON manifest
/// (<c>manifest.json</c>) and named parts (ML.NET model zips, torch weights, ...), each listed in the manifest
/// with its SHA-256. Reading verifies every checksum before any part is used, and nothing in the file is ever
/// executed. Writing goes to a temporary file that replaces the target only when complete, so a failed save
/// never damages an existing model.
/// </summary>
public static class ModelArchive
{
    /// <summary>Value of the manifest's <c>format</c> field.</summary>
    public const string FormatName = "mltoolkit-model";

    /// <summary>The manifest version this build writes and the newest it reads.</summary>
    public const int FormatVersion = 1;

    private const string ManifestEntry = "manifest.json";

    /// <summary>Writes an archive with <paramref name="body"/> as the manifest body and the given parts.</summary>
    /// <param name="path">Target file; replaced atomically.</param>
    /// <param name="body">Model-specific manifest content (stored under <c>model</c>).</param>
    /// <param name="parts">Part name to a writer of its bytes.</param>
    public static void Write(string path, JsonObject body, IReadOnlyDictionary<string, Action<Stream>> parts)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(parts);
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        var temporary = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            using (var zip = new ZipArchive(file, ZipArchiveMode.Create))
            {
                var listed = new JsonArray();
                foreach (var (name, write) in parts)
                {
                    if (name == ManifestEntry)
                        throw new ArgumentException($"'{ManifestEntry}' is reserved.", nameof(parts));
                    using var buffer = new MemoryStream();
                    write(buffer);
                    var bytes = buffer.ToArray();
                    var entry = zip.CreateEntry(name, CompressionLevel.Fastest);
                    using (var output = entry.Open())
                        output.Write(bytes);
                    listed.Add(JsonSerializer.SerializeToNode(new ArchivePart(name, Hash(bytes), bytes.Length), ToolkitJson.Indented));
                }
                var manifest = new JsonObject
                {
                    ["format"] = FormatName,
                    ["formatVersion"] = FormatVersion,
                    ["createdUtc"] = DateTime.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                    ["writer"] = $"MlToolkit {typeof(ModelArchive).Assembly.GetName().Version}",
                    ["parts"] = listed,
                    ["model"] = body.DeepClone(),
                };
                using var manifestStream = zip.CreateEntry(ManifestEntry, CompressionLevel.Fastest).Open();
                using var writer = new Utf8JsonWriter(manifestStream, new JsonWriterOptions { Indented = true });
                manifest.WriteTo(writer);
            }
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
                File.Delete(temporary);
        }
    }

    /// <summary>Reads and verifies the archive at <paramref name="path"/>; all parts are loaded into memory.</summary>
    /// <exception cref="ModelFormatException">Missing, not a model, truncated, tampered with, or newer than this build reads.</exception>
    public static LoadedArchive Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
            throw new ModelFormatException($"{path}: model file not found");
        try
        {
            using var zip = ZipFile.OpenRead(path);
            var manifestEntry = zip.GetEntry(ManifestEntry)
                ?? throw new ModelFormatException($"{path}: not an MlToolkit model (no {ManifestEntry} inside)");
            JsonObject manifest;
            using (var stream = manifestEntry.Open())
                manifest = JsonNode.Parse(stream) as JsonObject ?? throw new ModelFormatException($"{path}: {ManifestEntry} is not a JSON object");
            CheckHeader(path, manifest);
            var parts = manifest["parts"].Deserialize<List<ArchivePart>>(ToolkitJson.Indented)
                ?? throw new ModelFormatException($"{path}: {ManifestEntry} lists no parts");
            var contents = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var part in parts)
            {
                var entry = zip.GetEntry(part.Name) ?? throw new ModelFormatException($"{path}: part '{part.Name}' listed in the manifest is missing");
                using var input = entry.Open();
                using var buffer = new MemoryStream();
                input.CopyTo(buffer);
                var bytes = buffer.ToArray();
                if (bytes.Length != part.Length || Hash(bytes) != part.Sha256)
                    throw new ModelFormatException($"{path}: part '{part.Name}' fails its checksum (expected {part.Length} bytes with SHA-256 {part.Sha256}); the file was modified or damaged");
                contents[part.Name] = bytes;
            }
            var body = manifest["model"] as JsonObject ?? throw new ModelFormatException($"{path}: {ManifestEntry} has no 'model' section");
            return new LoadedArchive(path, body, contents);
        }
        catch (Exception e) when (e is InvalidDataException or JsonException or EndOfStreamException)
        {
            throw new ModelFormatException($"{path}: not a readable MlToolkit model file (truncated or corrupt: {e.Message})", e);
        }
    }

    private static void CheckHeader(string path, JsonObject manifest)
    {
        if (manifest["format"]?.GetValue<string>() != FormatName)
            throw new ModelFormatException($"{path}: not an MlToolkit model (format is not '{FormatName}')");
        var version = manifest["formatVersion"]?.GetValue<int>() ?? 0;
        if (version < 1 || version > FormatVersion)
            throw new ModelFormatException($"{path}: model format version {version} is not supported; this build reads versions 1 to {FormatVersion} (was it saved by a newer MlToolkit?)");
    }

    private static string Hash(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();
}

/// <summary>A verified model archive: its manifest body and its parts' bytes.</summary>
public sealed class LoadedArchive
{
    private readonly IReadOnlyDictionary<string, byte[]> _parts;

    internal LoadedArchive(string path, JsonObject body, IReadOnlyDictionary<string, byte[]> parts)
    {
        Path = path;
        Body = body;
        _parts = parts;
    }

    /// <summary>The file it was read from.</summary>
    public string Path { get; }

    /// <summary>The model-specific manifest content.</summary>
    public JsonObject Body { get; }

    /// <summary>Names of the parts.</summary>
    public IEnumerable<string> PartNames => _parts.Keys;

    /// <summary>A read-only stream over a part's verified bytes.</summary>
    /// <exception cref="ModelFormatException">The archive has no such part.</exception>
    public Stream OpenPart(string name) =>
        _parts.TryGetValue(name, out var bytes)
            ? new MemoryStream(bytes, writable: false)
            : throw new ModelFormatException($"{Path}: the model has no part '{name}'");
}
