using MlToolkit.NotebookRunner;

// mltoolkit-notebooks [--save] [--timeout SECONDS] [NOTEBOOK.ipynb ...]
// Runs the notebooks (default: every notebooks/*.ipynb) cell by cell in the Polyglot kernel and reports failures;
// with --save, a notebook that ran cleanly and met its expectations gets its outputs written into the file.
var save = args.Contains("--save");
var timeoutIndex = Array.IndexOf(args, "--timeout");
var timeout = TimeSpan.FromSeconds(timeoutIndex >= 0 && timeoutIndex + 1 < args.Length ? double.Parse(args[timeoutIndex + 1], System.Globalization.CultureInfo.InvariantCulture) : 600);
var root = RepositoryRoot.Find(Directory.GetCurrentDirectory());
var named = args.Where((a, i) => a.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase)).ToList();
var notebooks = named.Count > 0 ? named : Directory.GetFiles(Path.Combine(root, "notebooks"), "*.ipynb").OrderBy(p => p, StringComparer.Ordinal).ToList();
var status = 0;
foreach (var path in notebooks)
{
    var execution = NotebookExecution.Run(NotebookFile.Read(path), root, timeout, Console.Error.WriteLine);
    if (execution.Problems.Count > 0)
    {
        foreach (var problem in execution.Problems)
            Console.Error.WriteLine($"error: {problem}");
        status = 1;
        continue;
    }
    if (save)
        execution.Notebook.SaveOutputs(execution.Cells);
    Console.WriteLine($"{Path.GetFileName(path)}: {execution.Cells.Count} cells ran{(save ? ", outputs saved" : "")}");
}
return status;
