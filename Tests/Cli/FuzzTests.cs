using System.Globalization;
using System.IO.Compression;
using System.Text;
using MlToolkit.Tests.Trainers.Torch;

namespace MlToolkit.Tests.Cli;

/// <summary>
/// Mutated inputs through the CLI, seeded so that a failure reproduces: every run either succeeds with sane output
/// (exit 0, one finite prediction per row) or fails with one clear line and exit 3; never an internal error (exit 1),
/// a stack trace, or a model that scores NaN.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class FuzzTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Mutated_csv_files_are_predicted_trained_on_or_refused_with_a_clear_error()
    {
        var iris = SampleText.Read("iris");
        var clean = _folder.Write("iris.csv", iris);
        var model = _folder.File("iris.zip");
        Assert.Equal(0, CliRunner.InProcess("train", "--dataset", clean, "--label-col", "species", "--trainer", "lbfgs", "-o", model).ExitCode);
        var random = new Random(20261130);
        var outcomes = new Dictionary<int, int>();
        for (var i = 0; i < 240; i++)
        {
            var text = CsvMutations.Apply(iris, random, 1 + random.Next(3));
            var path = _folder.Write($"m{i}.csv", text, bom: random.Next(6) == 0);
            // Most runs score with the trained model (fast); every sixth trains on the mutated file itself.
            var result = i % 6 == 5
                ? CliRunner.InProcess("train", "--dataset", path, "--label-col", "species", "--trainer", "lbfgs", "-o", _folder.File($"t{i}.zip"))
                : CliRunner.InProcess("predict", "--model", model, "--dataset", path, "-o", _folder.File($"p{i}.csv"));
            outcomes[result.ExitCode] = outcomes.GetValueOrDefault(result.ExitCode) + 1;
            AssertSaneOutcome(result, path, text);
            if (result.ExitCode == 0 && i % 6 != 5)
                AssertFinitePredictions(_folder.File($"p{i}.csv"));
        }
        // Both outcomes occur: the mutations are neither all harmless nor all fatal.
        Assert.True(outcomes.GetValueOrDefault(0) > 20 && outcomes.GetValueOrDefault(3) > 20, string.Join(", ", outcomes.Select(o => $"exit {o.Key}: {o.Value}")));
    }

    [Fact]
    public void Mutated_model_files_are_refused_with_a_clear_error_or_score_exactly_as_before()
    {
        var data = _folder.Write("iris.csv", SampleText.Read("iris"));
        var model = _folder.File("iris.zip");
        Assert.Equal(0, CliRunner.InProcess("train", "--dataset", data, "--label-col", "species", "--trainer", "lbfgs", "-o", model).ExitCode);
        Assert.Equal(0, CliRunner.InProcess("predict", "--model", model, "--dataset", data, "-o", _folder.File("reference.csv")).ExitCode);
        var reference = File.ReadAllText(_folder.File("reference.csv"));
        var original = File.ReadAllBytes(model);
        var random = new Random(7);
        var refused = 0;
        for (var i = 0; i < 150; i++)
        {
            var path = _folder.File($"m{i}.zip");
            File.WriteAllBytes(path, ModelMutations.Apply(original, random, i % 3));
            var result = CliRunner.InProcess("predict", "--model", path, "--dataset", data, "-o", _folder.File($"p{i}.csv"));
            AssertSaneOutcome(result, path, null);
            if (result.ExitCode == 0)
                Assert.Equal(reference, File.ReadAllText(_folder.File($"p{i}.csv")));
            else
                refused++;
        }
        Assert.True(refused > 100, $"only {refused} of 150 damaged models were refused");
    }

    private static void AssertSaneOutcome(ProcessRunner.Result result, string input, string? text)
    {
        var context = text is null ? input : $"{input}:\n{text[..Math.Min(text.Length, 600)]}";
        Assert.True(result.ExitCode is 0 or 3, $"exit {result.ExitCode} on {context}\n{result.Error}");
        if (result.ExitCode == 3)
        {
            var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(lines.Length >= 1 && lines[^1].StartsWith("error: ", StringComparison.Ordinal), $"no clear error on {context}:\n{result.Error}");
            Assert.DoesNotContain("   at ", result.Error);
        }
    }

    private static void AssertFinitePredictions(string path)
    {
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            foreach (var score in line.Split(',').Skip(2))
                Assert.True(double.TryParse(score, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value), $"{path}: '{line}'");
        }
    }
}

/// <summary>Random damage a CSV meets in the wild: ragged rows, bad numbers, stray quotes, other separators, blank lines.</summary>
internal static class CsvMutations
{
    private static readonly string[] BadValues = { "abc", "1.2.3", "1e999", "Infinity", "-inf", "NaN", "", " ", "\"", "1,5", "--1", "0x10", "∞", "١٢" };

    public static string Apply(string csv, Random random, int count)
    {
        var lines = csv.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();
        for (var k = 0; k < count; k++)
        {
            var row = 1 + random.Next(lines.Count - 1);
            var fields = lines[row].Split(',').ToList();
            switch (random.Next(9))
            {
                case 0: fields.RemoveAt(random.Next(fields.Count)); break;                       // a missing field
                case 1: fields.Insert(random.Next(fields.Count), "7.7"); break;                  // an extra field
                case 2: fields[random.Next(fields.Count)] = BadValues[random.Next(BadValues.Length)]; break;
                case 3: fields[random.Next(fields.Count)] = "\"" + fields[0]; break;             // an unclosed quote
                case 4: lines[row] = string.Join(';', fields); continue;                         // another separator
                case 5: lines.Insert(row, ""); continue;                                         // a blank line
                case 6: lines[0] = lines[0].Replace("species", random.Next(2) == 0 ? "Species " : "class", StringComparison.Ordinal); continue;
                case 7: lines.RemoveAt(0); if (lines.Count < 2) lines.Add("1,2,3,4,setosa"); continue; // no header
                default: fields[^1] = "\"" + fields[^1] + "\""; break;                           // a quoted label
            }
            lines[row] = string.Join(',', fields);
        }
        return string.Join(random.Next(4) == 0 ? "\r\n" : "\n", lines) + "\n";
    }
}

/// <summary>Random damage to a model file: flipped bytes, truncation, or an edited manifest.</summary>
internal static class ModelMutations
{
    public static byte[] Apply(byte[] model, Random random, int kind)
    {
        var bytes = (byte[])model.Clone();
        switch (kind)
        {
            case 0:
                for (var i = 0; i < 1 + random.Next(8); i++)
                    bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                return bytes;
            case 1:
                return bytes[..random.Next(bytes.Length)];
            default:
                return EditManifest(bytes, random);
        }
    }

    private static byte[] EditManifest(byte[] model, Random random)
    {
        using var stream = new MemoryStream();
        stream.Write(model);
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Update, leaveOpen: true))
        {
            var entry = zip.GetEntry("manifest.json")!;
            string text;
            using (var reader = new StreamReader(entry.Open()))
                text = reader.ReadToEnd();
            var at = random.Next(text.Length);
            text = random.Next(3) switch
            {
                0 => text.Remove(at, Math.Min(5, text.Length - at)),
                1 => text.Insert(at, random.Next(2) == 0 ? "\"x\"" : "9"),
                _ => text.Replace("setosa", "virginica", StringComparison.Ordinal),
            };
            entry.Delete();
            using var writer = new StreamWriter(zip.CreateEntry("manifest.json").Open(), new UTF8Encoding(false));
            writer.Write(text);
        }
        return stream.ToArray();
    }
}
