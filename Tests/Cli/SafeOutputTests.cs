using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;

namespace MlToolkit.Tests.Cli;

/// <summary>Commands never destroy the user's files and never accept a model whose manifest was edited.</summary>
public sealed class SafeOutputTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string IrisCsv(string name) => _folder.Write(name, SampleText.Read("iris"));

    [Fact]
    public void Train_refuses_an_output_that_is_its_input_even_through_a_link_and_leaves_it_untouched()
    {
        var data = IrisCsv("p.csv");
        var before = File.ReadAllBytes(data);
        var same = CliRunner.InProcess("train", "--dataset", data, "--label-col", "species", "--trainer", "lbfgs", "--output", data);
        Assert.Equal(2, same.ExitCode);
        Assert.Equal($"error: --output '{data}' is the input given as --dataset; writing it would destroy that input. Choose another --output path.", same.Error.Trim());

        var link = _folder.File("link.csv");
        File.CreateSymbolicLink(link, data);
        var linked = CliRunner.InProcess("train", "--dataset", data, "--label-col", "species", "--trainer", "lbfgs", "--output", link);
        Assert.Equal(2, linked.ExitCode);
        Assert.Equal(before, File.ReadAllBytes(data));
    }

    [Fact]
    public void Predict_refuses_to_write_predictions_over_its_data_or_its_model()
    {
        var data = IrisCsv("t.csv");
        var before = File.ReadAllBytes(data);
        var model = _folder.File("m.zip");
        Assert.Equal(0, CliRunner.InProcess("train", "--dataset", data, "--label-col", "species", "--trainer", "lbfgs", "-o", model).ExitCode);

        var overData = CliRunner.InProcess("predict", "--model", model, "--dataset", data, "--output", data);
        Assert.Equal(2, overData.ExitCode);
        Assert.Equal($"error: --output '{data}' is the input given as --dataset; writing it would destroy that input. Choose another --output path.", overData.Error.Trim());
        Assert.Equal(before, File.ReadAllBytes(data));
        var overModel = CliRunner.InProcess("predict", "--model", model, "--dataset", data, "--output", model);
        Assert.Equal(2, overModel.ExitCode);
        Assert.Contains("is the input given as --model", overModel.Error);
    }

    [Fact]
    public void Train_replaces_a_model_but_not_another_file_unless_forced()
    {
        var data = IrisCsv("iris.csv");
        var notes = _folder.Write("notes.zip", "my notes, not a model");
        var refused = CliRunner.InProcess("train", "--dataset", data, "--label-col", "species", "--trainer", "lbfgs", "-o", notes);
        Assert.Equal(2, refused.ExitCode);
        Assert.Equal($"error: --output '{notes}' exists and is not an MlToolkit model; pass --force to replace it.", refused.Error.Trim());
        Assert.Equal("my notes, not a model", File.ReadAllText(notes));

        Assert.Equal(0, CliRunner.InProcess("train", "--dataset", data, "--label-col", "species", "--trainer", "lbfgs", "-o", notes, "--force").ExitCode);
        Assert.Equal(0, CliRunner.InProcess("train", "--dataset", data, "--label-col", "species", "--trainer", "lbfgs", "-o", notes).ExitCode);
    }

    [Fact]
    public void Show_schema_prints_the_layout_and_neither_trains_nor_writes()
    {
        var data = IrisCsv("iris.csv");
        var model = _folder.File("never.zip");
        var result = CliRunner.InProcess("train", "--dataset", data, "--label-col", "species", "-o", model, "--show-schema");
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.StartsWith($"Dataset  {data}: 150 rows, 5 columns", result.Out);
        Assert.Contains("separator comma, header yes", result.Out);
        Assert.DoesNotContain("Trained", result.Out);
        Assert.False(File.Exists(model));
    }

    [Fact]
    public void An_edited_manifest_field_is_refused_as_a_damaged_model()
    {
        var data = _folder.Write("bc.csv", SampleText.Read("breast-cancer"));
        var model = _folder.File("bc.zip");
        Assert.Equal(0, CliRunner.InProcess("train", "--dataset", data, "--label-col", "diagnosis", "--trainer", "lbfgs", "-o", model).ExitCode);
        ModelFiles.EditManifest(model, manifest => manifest["model"]!["description"]!["positiveClass"] = "benign");

        var result = CliRunner.InProcess("predict", "--model", model, "--dataset", data, "-o", _folder.File("p.csv"));
        Assert.Equal(3, result.ExitCode);
        Assert.StartsWith($"error: {model}: manifest.json fails its checksum (expected SHA-256 ", result.Error);
        Assert.EndsWith("); the file was modified or damaged", result.Error.Trim());
        Assert.False(File.Exists(_folder.File("p.csv")));
    }
}

/// <summary>Commands that only read (report) never create or change a file; interrupted saves are cleaned up later.</summary>
public sealed class ReadOnlyAndCleanupTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Report_on_an_empty_or_missing_file_changes_nothing_and_exits_3()
    {
        var empty = _folder.Write("empty.db", "");
        var result = CliRunner.InProcess("report", "--storage", empty);
        Assert.Equal(3, result.ExitCode);
        Assert.Equal($"error: '{empty}' is not an experiment store: the file is empty.", result.Error.Trim());
        Assert.Equal(0, new FileInfo(empty).Length);
        Assert.Equal(new[] { "empty.db" }, Directory.GetFiles(_folder.Path).Select(Path.GetFileName));

        var missing = _folder.File("missing.db");
        Assert.Equal(3, CliRunner.InProcess("report", "--storage", missing).ExitCode);
        Assert.False(File.Exists(missing));
    }

    [Fact]
    public void A_foreign_sqlite_file_is_refused_before_its_journal_mode_is_touched()
    {
        var path = _folder.File("app.db");
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var create = connection.CreateCommand();
            create.CommandText = "CREATE TABLE customers(id INTEGER); INSERT INTO customers VALUES (1);";
            create.ExecuteNonQuery();
        }
        var before = File.ReadAllBytes(path);
        var refused = CliRunner.InProcess("automl", "--storage", path, "--max-trials", "1", "--trainers", "lbfgs", "-o", _folder.File("out"));
        Assert.Equal(3, refused.ExitCode);
        Assert.Equal($"error: '{path}' is an SQLite database, but not an MlToolkit experiment store.", refused.Error.Trim());
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.False(File.Exists(path + "-wal"));
    }

    [Fact]
    public void Predictions_that_fail_on_a_bad_row_leave_the_earlier_predictions_and_no_temporary_behind()
    {
        var data = _folder.Write("iris.csv", SampleText.Read("iris"));
        var model = _folder.File("m.zip");
        var predictions = _folder.File("p.csv");
        Assert.Equal(0, CliRunner.InProcess("train", "--dataset", data, "--label-col", "species", "--trainer", "lbfgs", "-o", model).ExitCode);
        Assert.Equal(0, CliRunner.InProcess("predict", "--model", model, "--dataset", data, "-o", predictions).ExitCode);
        var before = File.ReadAllBytes(predictions);
        // Past the rows inference samples, so that the error comes while the predictions are being written.
        var rows = SampleText.Read("iris").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        var text = string.Join("\n", rows.Concat(Enumerable.Repeat(rows[1], 1000)).Append("wide,3.0,1.4,0.2,setosa")) + "\n";
        var bad = _folder.Write("bad.csv", text);
        var failed = CliRunner.InProcess("predict", "--model", model, "--dataset", bad, "-o", predictions);
        Assert.Equal(3, failed.ExitCode);
        Assert.StartsWith($"error: {bad}, line 1152, column 'sepal_length_cm': value 'wide'", failed.Error.Trim());
        Assert.Equal(before, File.ReadAllBytes(predictions));
        Assert.Equal(new[] { "bad.csv", "iris.csv", "m.zip", "p.csv" }, Directory.GetFiles(_folder.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_temporary_left_by_a_killed_save_is_removed_by_the_next_save_but_a_live_one_is_kept()
    {
        var model = _folder.File("m.zip");
        // A process id that cannot be running (above the kernel's maximum), and this process's own id (a save in flight).
        var stale = _folder.Write($".m.zip.{int.MaxValue}.0123456789abcdef0123456789abcdef.tmp", "half a model");
        var live = _folder.Write($".m.zip.{Environment.ProcessId}.fedcba9876543210fedcba9876543210.tmp", "a save in progress");
        Assert.Equal(0, CliRunner.InProcess("train", "--sample", "iris", "--trainer", "lbfgs", "-o", model).ExitCode);
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(live));
        Assert.True(File.Exists(model));
    }
}
