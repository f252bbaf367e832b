using System.Text.RegularExpressions;

namespace MlToolkit.NotebookRunner;

/// <summary>A notebook run top to bottom in a fresh kernel, stopping at the first failing cell as "Run All" does.</summary>
/// <param name="Notebook">The notebook.</param>
/// <param name="Cells">One run per code cell that ran.</param>
public sealed record NotebookExecution(NotebookFile Notebook, IReadOnlyList<CellRun> Cells)
{
    /// <summary>Every code cell ran and none failed.</summary>
    public bool Succeeded => Cells.Count == Notebook.CodeCells.Count && Cells.All(c => c.Error is null);

    /// <summary>All text the cells printed and displayed.</summary>
    public string Text => string.Concat(Cells.Select(c => c.Text));

    /// <summary>All HTML the cells displayed.</summary>
    public string Html => string.Concat(Cells.Select(c => c.Html));

    /// <summary>The expectations of the notebook that <see cref="Text"/> does not match.</summary>
    public IReadOnlyList<string> Unmet => Notebook.Expectations.Where(e => !Regex.IsMatch(Text, e)).Select(e => $"/{e}/")
        .Concat(Notebook.ExpectedHtml.Where(h => !Html.Contains(h, StringComparison.Ordinal)).Select(h => $"HTML containing {h}")).ToList();

    /// <summary>What went wrong, one line per problem; empty when the run succeeded and met its expectations.</summary>
    public IReadOnlyList<string> Problems
    {
        get
        {
            var problems = new List<string>();
            var failed = Cells.Select((c, i) => (Cell: c, Index: i)).FirstOrDefault(c => c.Cell.Error is not null);
            if (failed.Cell is not null)
                problems.Add($"{System.IO.Path.GetFileName(Notebook.Path)}: code cell {failed.Index + 1} failed: {failed.Cell.Error}");
            problems.AddRange(Unmet.Select(e => $"{System.IO.Path.GetFileName(Notebook.Path)}: no output matches {e}"));
            return problems;
        }
    }

    /// <summary>
    /// Runs <paramref name="notebook"/> in a new kernel started from <paramref name="toolRoot"/> in the notebook's
    /// folder, with <paramref name="tempFolder"/> (when given) as its temporary folder.
    /// </summary>
    public static NotebookExecution Run(NotebookFile notebook, string toolRoot, TimeSpan cellTimeout, Action<string>? progress = null, string? tempFolder = null)
    {
        using var kernel = new KernelSession(toolRoot, System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(notebook.Path))!, tempFolder);
        var runs = new List<CellRun>();
        foreach (var cell in notebook.CodeCells)
        {
            progress?.Invoke($"{System.IO.Path.GetFileName(notebook.Path)}: cell {runs.Count + 1} of {notebook.CodeCells.Count}");
            var run = kernel.Submit(NotebookFile.Source(cell), cellTimeout);
            runs.Add(run);
            if (run.Error is not null)
                break;
        }
        return new NotebookExecution(notebook, runs);
    }
}
