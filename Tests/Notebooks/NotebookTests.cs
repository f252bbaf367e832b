using System.Text.RegularExpressions;
using MlToolkit.Tests.Support;
using MlToolkit.Tests.Trainers.Torch;

namespace MlToolkit.Tests.Notebooks;

/// <summary>Every notebook in notebooks/ runs (as a file-based app) and prints what its metadata expects.</summary>
[Collection(TorchCollection.Name)]
public sealed class NotebookTests
{
    public static IEnumerable<object[]> Notebooks() =>
        Directory.GetFiles(Path.Combine(RepoPaths.Root, "notebooks"), "*.ipynb").OrderBy(p => p, StringComparer.Ordinal).Select(p => new object[] { Path.GetFileName(p) });

    [Fact]
    public void There_are_the_four_documented_notebooks() =>
        Assert.Equal(new[] { "01-quickstart-automl.ipynb", "02-image-classification-cnn.ipynb", "03-text-classification-transformer.ipynb", "04-custom-search-space.ipynb" },
            Notebooks().Select(n => (string)n[0]));

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Notebook_runs_and_prints_its_results(string notebook)
    {
        // The script sits inside the repository so that Directory.Build.props applies (hard-linked libtorch, analyzers).
        var scripts = Path.Combine(RepoPaths.Root, "notebooks", "obj");
        Directory.CreateDirectory(scripts);
        var converted = NotebookScript.Convert(Path.Combine(RepoPaths.Root, "notebooks", notebook), Path.Combine(scripts, Path.ChangeExtension(notebook, ".cs")));
        using var workspace = new TempFolder();
        var result = ProcessRunner.Run("dotnet", new[] { "run", converted.Script }, workspace.Path, TimeSpan.FromMinutes(6));
        Assert.True(result.ExitCode == 0, $"{notebook} failed:\n{result.Out}\n{result.Error}");
        foreach (var pattern in converted.Expect)
            Assert.True(Regex.IsMatch(result.Out, pattern), $"{notebook}: output does not match /{pattern}/:\n{result.Out}");
    }
}
