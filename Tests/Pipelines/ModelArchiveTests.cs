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
        Assert.Equal($"{newer}: model format version 99 is not supported; this build reads versions 1 to 1 (was it saved by a newer MlToolkit?)",
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
}
