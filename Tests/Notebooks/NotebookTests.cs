using System.Text.RegularExpressions;
using MlToolkit.NotebookRunner;
using MlToolkit.Tests.Trainers.Torch;

namespace MlToolkit.Tests.Notebooks;

/// <summary>
/// Every notebook in notebooks/ runs cell by cell in the real Polyglot kernel (the dotnet-interactive tool pinned in
/// dotnet-tools.json), with zero cell errors, prints what its metadata expects, and carries saved outputs that agree
/// with the fresh run.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class NotebookTests
{
    private static readonly Lazy<string> KernelTool = new(RestoreKernelTool);

    public static IEnumerable<object[]> Notebooks() =>
        Directory.GetFiles(Path.Combine(RepoPaths.Root, "notebooks"), "*.ipynb").OrderBy(p => p, StringComparer.Ordinal).Select(p => new object[] { Path.GetFileName(p) });

    [Fact]
    public void There_are_the_four_documented_notebooks() =>
        Assert.Equal(new[] { "01-quickstart-automl.ipynb", "02-image-classification-cnn.ipynb", "03-text-classification-transformer.ipynb", "04-custom-search-space.ipynb" },
            Notebooks().Select(n => (string)n[0]));

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Notebook_runs_in_the_kernel_and_its_saved_outputs_agree(string notebook)
    {
        var file = NotebookFile.Read(Path.Combine(RepoPaths.Root, "notebooks", notebook));
        var before = Directory.GetFileSystemEntries(Path.GetDirectoryName(file.Path)!).Order(StringComparer.Ordinal).ToList();
        using var scratch = new TempFolder();
        var execution = NotebookExecution.Run(file, KernelTool.Value, TimeSpan.FromMinutes(6), tempFolder: scratch.Path);
        Assert.True(execution.Problems.Count == 0, string.Join("\n", execution.Problems) + "\n--- output ---\n" + execution.Text);

        // The committed outputs are those of such a run: they meet the same expectations, and the deterministic parts
        // (row counts, trial counts, failures, search spaces) read exactly as in the fresh run.
        var saved = file.SavedText;
        foreach (var pattern in file.Expectations)
            Assert.True(Regex.IsMatch(saved, pattern), $"{notebook}: no saved output matches /{pattern}/:\n{saved}");
        foreach (var pattern in file.DeterministicPatterns)
        {
            var fresh = Regex.Match(execution.Text, pattern);
            Assert.True(fresh.Success, $"{notebook}: the fresh run printed nothing matching /{pattern}/:\n{execution.Text}");
            Assert.Equal(fresh.Value, Regex.Match(saved, pattern).Value);
        }
        // Scratch files (models, reports, databases) go to a temporary folder, not next to the notebook.
        Assert.Equal(before, Directory.GetFileSystemEntries(Path.GetDirectoryName(file.Path)!).Order(StringComparer.Ordinal).ToList());
    }

    [Fact]
    public void A_failing_cell_stops_the_run_and_names_the_cell_and_the_error()
    {
        using var folder = new TempFolder();
        var path = folder.File("broken.ipynb");
        File.WriteAllText(path, """
            {"cells":[
              {"cell_type":"code","metadata":{},"outputs":[],"source":["Console.WriteLine(\"one\");"]},
              {"cell_type":"code","metadata":{},"outputs":[],"source":["using var stream = new MemoryStream(); stream.Length"]},
              {"cell_type":"code","metadata":{},"outputs":[],"source":["Console.WriteLine(\"never\");"]}],
             "metadata":{},"nbformat":4,"nbformat_minor":2}
            """);
        var execution = NotebookExecution.Run(NotebookFile.Read(path), KernelTool.Value, TimeSpan.FromMinutes(2), tempFolder: folder.Path);
        Assert.Equal(2, execution.Cells.Count);
        Assert.Equal("one\n", execution.Cells[0].Text);
        Assert.Equal(new[] { "broken.ipynb: code cell 2 failed: (1,11): error CS1002: ; expected" }, execution.Problems);
    }

    /// <summary>Installs the pinned kernel from the package feed (a no-op once done); returns the folder whose manifest pins it.</summary>
    private static string RestoreKernelTool()
    {
        var restore = ProcessRunner.Run("dotnet", new[] { "tool", "restore" }, RepoPaths.Root, TimeSpan.FromMinutes(5));
        Assert.True(restore.ExitCode == 0, $"dotnet tool restore failed:\n{restore.Out}\n{restore.Error}");
        return RepoPaths.Root;
    }
}
