using MlToolkit.Data.IO;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MlToolkit.Pipelines.Persistence;

/// <summary>
/// The single-file container MlToolkit models are saved in: a zip holding a versioned JSON manifest
/// (<c>manifest.json</c>) and named parts (ML.NET model zips, torch weights, ...), each listed in the manifest
/// with its SHA-256, and the SHA-256 of the manifest itself (<c>manifest.sha256</c>, from format version 2), so that
/// no field that changes predictions (a positive class, a label mapping) can be edited unnoticed. Reading verifies
/// every checksum before any part is used, and nothing in the file is ever executed. Writing goes to a temporary file that replaces the target only when complete, so a failed save
/// never damages an existing model.
/// </summary>
public static class ModelArchive
{
    /// <summary>Value of the manifest's <c>format</c> field.</summary>
    public const string FormatName = "mltoolkit-model";

    /// <summary>The manifest version this build writes and the newest it reads (2: the manifest is checksummed too).</summary>
    public const int FormatVersion = 2;

    private const string ManifestEntry = "manifest.json";
    private const string ManifestHashEntry = "manifest.sha256";

    /// <summary>Writes an archive with <paramref name="body"/> as the manifest body and the given parts.</summary>
    /// <param name="path">Target file; replaced atomically.</param>
    /// <param name="body">Model-specific manifest content (stored under <c>model</c>).</param>
    /// <param name="parts">Part name to a writer of its bytes.</param>
    public static void Write(string path, JsonObject body, IReadOnlyDictionary<string, Action<Stream>> parts)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(parts);
        AtomicFile.Write(path, file =>
        {
            using var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true);
            var listed = new JsonArray();
            foreach (var (name, write) in parts)
            {
                if (name is ManifestEntry or ManifestHashEntry)
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
            var manifestBytes = System.Text.Encoding.UTF8.GetBytes(manifest.ToJsonString(ToolkitJson.Indented));
            using (var manifestStream = zip.CreateEntry(ManifestEntry, CompressionLevel.Fastest).Open())
                manifestStream.Write(manifestBytes);
            using var hashStream = zip.CreateEntry(ManifestHashEntry, CompressionLevel.Fastest).Open();
            hashStream.Write(System.Text.Encoding.ASCII.GetBytes(Hash(manifestBytes)));
        });
    }

    /// <summary>Whether <paramref name="path"/> is a zip holding an MlToolkit manifest (checksums are not verified).</summary>
    public static bool IsModelFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        try
        {
            using var zip = ZipFile.OpenRead(path);
            if (zip.GetEntry(ManifestEntry) is not { } entry)
                return false;
            return JsonNode.Parse(ReadAll(entry)) is JsonObject manifest && manifest["format"] is JsonValue format
                && format.TryGetValue<string>(out var name) && name == FormatName;
        }
        catch (Exception e) when (e is InvalidDataException or JsonException or IOException or UnauthorizedAccessException)
        {
            return false;
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
            var manifestBytes = ReadAll(manifestEntry);
            var manifest = JsonNode.Parse(manifestBytes) as JsonObject ?? throw new ModelFormatException($"{path}: {ManifestEntry} is not a JSON object");
            if (CheckHeader(path, manifest) >= 2)
                CheckManifestHash(path, zip, manifestBytes);
            var parts = manifest["parts"].Deserialize<List<ArchivePart>>(ToolkitJson.Indented)
                ?? throw new ModelFormatException($"{path}: {ManifestEntry} lists no parts");
            var contents = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var part in parts)
            {
                var entry = zip.GetEntry(part.Name) ?? throw new ModelFormatException($"{path}: part '{part.Name}' listed in the manifest is missing");
                var bytes = ReadAll(entry);
                if (bytes.Length != part.Length || Hash(bytes) != part.Sha256)
                    throw new ModelFormatException($"{path}: part '{part.Name}' fails its checksum (expected {part.Length} bytes with SHA-256 {part.Sha256}); the file was modified or damaged");
                contents[part.Name] = bytes;
            }
            var body = manifest["model"] as JsonObject ?? throw new ModelFormatException($"{path}: {ManifestEntry} has no 'model' section");
            return new LoadedArchive(path, body, contents);
        }
        catch (Exception e) when (e is InvalidDataException or JsonException or EndOfStreamException)
        {
            throw new ModelFormatException($"{path}: not a readable MlToolkit model file (truncated or corrupt: {OneLine(e.Message)})", e);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or ArgumentException)
        {
            // A manifest field of the wrong JSON kind (a number where text belongs, ...): the file was edited or damaged.
            throw new ModelFormatException($"{path}: {ManifestEntry} is malformed ({OneLine(e.Message)})", e);
        }
    }

    // A parser's message may quote the damaged bytes, line breaks and all; the error must stay one line.
    private static string OneLine(string message) => string.Join(' ', message.Split(new[] { "\r\n", "\n", "\r" }, StringSplitOptions.TrimEntries));

    private static byte[] ReadAll(ZipArchiveEntry entry)
    {
        using var input = entry.Open();
        using var buffer = new MemoryStream();
        input.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static void CheckManifestHash(string path, ZipArchive zip, byte[] manifestBytes)
    {
        var stored = zip.GetEntry(ManifestHashEntry) is { } entry ? System.Text.Encoding.ASCII.GetString(ReadAll(entry)).Trim() : null;
        if (stored != Hash(manifestBytes))
            throw new ModelFormatException($"{path}: {ManifestEntry} fails its checksum ({(stored is null ? $"{ManifestHashEntry} is missing" : $"expected SHA-256 {stored}")}); the file was modified or damaged");
    }

    /// <summary>Checks the format name and returns the format version (refusing versions this build cannot read).</summary>
    private static int CheckHeader(string path, JsonObject manifest)
    {
        if (manifest["format"]?.GetValue<string>() != FormatName)
            throw new ModelFormatException($"{path}: not an MlToolkit model (format is not '{FormatName}')");
        var version = manifest["formatVersion"]?.GetValue<int>() ?? 0;
        if (version < 1 || version > FormatVersion)
            throw new ModelFormatException($"{path}: model format version {version} is not supported; this build reads versions 1 to {FormatVersion} (was it saved by a newer MlToolkit?)");
        return version;
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
