using System.IO.Compression;
using System.Text.Json.Nodes;
using MlToolkit.Pipelines.Persistence;
using MlToolkit.Tests.Support;

namespace MlToolkit.Tests.Pipelines;

public sealed class ModelArchiveTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string WriteSample(string name)
    {
        var path = _folder.File(name);
        ModelArchive.Write(path, new JsonObject { ["answer"] = 42 }, new Dictionary<string, Action<Stream>>
        {
            ["weights/a.bin"] = s => s.Write(Enumerable.Range(0, 5000).Select(i => (byte)(i * 7)).ToArray()),
            ["b.txt"] = s => s.Write("hello"u8),
        });
        return path;
    }

    [Fact]
    public void Round_trips_body_and_parts()
    {
        var archive = ModelArchive.Read(WriteSample("m.zip"));
        Assert.Equal(42, (int)archive.Body["answer"]!);
        Assert.Equal(new[] { "b.txt", "weights/a.bin" }, archive.PartNames.Order());
        using var reader = new StreamReader(archive.OpenPart("b.txt"));
        Assert.Equal("hello", reader.ReadToEnd());
    }

    [Fact]
    public void A_tampered_part_fails_its_checksum()
    {
        var path = WriteSample("m.zip");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            zip.GetEntry("b.txt")!.Delete();
            using var writer = new StreamWriter(zip.CreateEntry("b.txt").Open());
            writer.Write("HELLO");
        }
        var error = Assert.Throws<ModelFormatException>(() => ModelArchive.Read(path));
        Assert.Equal($"{path}: part 'b.txt' fails its checksum (expected 5 bytes with SHA-256 2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824); the file was modified or damaged", error.Message);
    }

    [Fact]
    public void A_truncated_file_is_reported_as_damaged()
    {
        var path = WriteSample("m.zip");
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var error = Assert.Throws<ModelFormatException>(() => ModelArchive.Read(path));
        Assert.StartsWith($"{path}: not a readable MlToolkit model file (truncated or corrupt: ", error.Message);
    }

    [Fact]
    public void A_zip_that_is_not_a_model_or_is_from_a_newer_version_is_refused()
    {
        var other = _folder.File("other.zip");
        using (var zip = ZipFile.Open(other, ZipArchiveMode.Create))
            zip.CreateEntry("readme.txt");
        Assert.Equal($"{other}: not an MlToolkit model (no manifest.json inside)", Assert.Throws<ModelFormatException>(() => ModelArchive.Read(other)).Message);

        var newer = WriteSample("newer.zip");
        using (var zip = ZipFile.Open(newer, ZipArchiveMode.Update))
        {
            JsonNode manifest;
            using (var stream = zip.GetEntry("manifest.json")!.Open())
                manifest = JsonNode.Parse(stream)!;
            manifest["formatVersion"] = 99;
            zip.GetEntry("manifest.json")!.Delete();
            using var writer = new StreamWriter(zip.CreateEntry("manifest.json").Open());
            writer.Write(manifest.ToJsonString());
        }
        Assert.Equal($"{newer}: model format version 99 is not supported; this build reads versions 1 to 2 (was it saved by a newer MlToolkit?)",
            Assert.Throws<ModelFormatException>(() => ModelArchive.Read(newer)).Message);
    }

    [Fact]
    public void A_failing_save_leaves_the_existing_file_intact_and_no_temporary_behind()
    {
        var path = WriteSample("m.zip");
        var before = File.ReadAllBytes(path);
        Assert.Throws<InvalidOperationException>(() => ModelArchive.Write(path, new JsonObject(), new Dictionary<string, Action<Stream>>
        {
            ["x"] = _ => throw new InvalidOperationException("writer failed"),
        }));
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(new[] { "m.zip" }, Directory.GetFiles(_folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void An_edited_manifest_fails_its_checksum_and_a_missing_checksum_is_refused()
    {
        var path = WriteSample("m.zip");
        ModelFiles.EditManifest(path, m => m["model"]!["answer"] = 43);
        var error = Assert.Throws<ModelFormatException>(() => ModelArchive.Read(path));
        Assert.StartsWith($"{path}: manifest.json fails its checksum (expected SHA-256 ", error.Message);

        var stripped = WriteSample("s.zip");
        using (var zip = ZipFile.Open(stripped, ZipArchiveMode.Update))
            zip.GetEntry("manifest.sha256")!.Delete();
        Assert.Equal($"{stripped}: manifest.json fails its checksum (manifest.sha256 is missing); the file was modified or damaged",
            Assert.Throws<ModelFormatException>(() => ModelArchive.Read(stripped)).Message);
    }

    [Fact]
    public void A_version_1_file_without_a_manifest_checksum_still_loads_and_a_mistyped_field_is_a_format_error()
    {
        var path = WriteSample("v1.zip");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
            zip.GetEntry("manifest.sha256")!.Delete();
        ModelFiles.EditManifest(path, m => m["formatVersion"] = 1);
        Assert.Equal(42, (int)ModelArchive.Read(path).Body["answer"]!);

        ModelFiles.EditManifest(path, m => m["formatVersion"] = "one");
        Assert.StartsWith($"{path}: manifest.json is malformed (", Assert.Throws<ModelFormatException>(() => ModelArchive.Read(path)).Message);
    }

    [Fact]
    public void Only_zip_files_with_a_model_manifest_count_as_model_files()
    {
        Assert.True(ModelArchive.IsModelFile(WriteSample("m.zip")));
        Assert.False(ModelArchive.IsModelFile(_folder.Write("notes.zip", "just text")));
        using (var zip = ZipFile.Open(_folder.File("other.zip"), ZipArchiveMode.Create))
            zip.CreateEntry("readme.txt");
        Assert.False(ModelArchive.IsModelFile(_folder.File("other.zip")));
    }
}
