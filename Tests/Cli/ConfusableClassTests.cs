using System.Globalization;
using System.Text;
using MlToolkit.Pipelines.Labels;
using MlToolkit.Tests.Support;

namespace MlToolkit.Tests.Cli;

/// <summary>Label classes written several ways ("Yes", "Yes ", "yes") are learned as several classes; the user is told.</summary>
public sealed class ConfusableClassTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Classes_equal_but_for_case_and_surrounding_spaces_are_grouped()
    {
        var groups = LabelEncoding.ConfusableClasses(new[] { " no", "No", "Yes", "Yes ", "maybe", "yes" });
        Assert.Equal(new[] { " no|No", "Yes|Yes |yes" }, groups.Select(g => string.Join('|', g)));
        Assert.Empty(LabelEncoding.ConfusableClasses(new[] { "a", "b", "c" }));
    }

    [Fact]
    public void Train_and_automl_warn_naming_the_classes()
    {
        var text = new StringBuilder("x,y\n");
        for (var i = 0; i < 60; i++)
            text.Append(CultureInfo.InvariantCulture, $"{i % 10 * 0.1:0.0},{(i % 10 >= 5 ? "Yes" : "No")}{(i % 7 == 0 ? " " : "")}\n");
        var data = _folder.Write("ws.csv", text.ToString());
        const string Warning = "warning: label 'y' has classes that differ only in letter case or surrounding spaces ('No', 'No '; 'Yes', 'Yes '); they were learned as different classes: if each group is one class, write it one way in the file";

        var trained = CliRunner.InProcess("train", "--dataset", data, "--label-col", "y", "--trainer", "lbfgs", "-o", _folder.File("m.zip"));
        Assert.True(trained.ExitCode == 0, trained.Error);
        Assert.Contains(Warning, trained.Error);

        var searched = CliRunner.InProcess("automl", "--dataset", data, "--label-col", "y", "--trainers", "lbfgs", "--max-trials", "1", "--cv", "3",
            "--isolation", "thread", "--explain", "false", "-o", _folder.File("a"));
        Assert.True(searched.ExitCode == 0, searched.Error);
        Assert.Contains(Warning, searched.Error);
    }
}
