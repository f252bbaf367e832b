using MlToolkit.Pipelines.Persistence;

namespace MlToolkit.Cli.Output;

/// <summary>Checks an output path before anything is written, so that a command never replaces the user's data.</summary>
internal static class OutputGuard
{
    /// <summary>
    /// Refuses <paramref name="output"/> when it is one of <paramref name="inputs"/> (compared after resolving links and
    /// relative paths), naming both options.
    /// </summary>
    public static void NotAnInput(string outputOption, string output, params (string Option, string? Path)[] inputs)
    {
        var target = Resolve(output);
        foreach (var (option, path) in inputs)
        {
            if (path is not null && string.Equals(Resolve(path), target, OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
                throw new ArgumentException($"{outputOption} '{output}' is the input given as {option}; writing it would destroy that input. Choose another {outputOption} path.");
        }
    }

    /// <summary>Refuses to replace an existing file that is not an MlToolkit model with a model, unless <paramref name="force"/>.</summary>
    public static void ReplacesOnlyAModel(string outputOption, string output, bool force)
    {
        if (!force && File.Exists(output) && !ModelArchive.IsModelFile(output))
            throw new ArgumentException($"{outputOption} '{output}' exists and is not an MlToolkit model; pass --force to replace it.");
    }

    private static string Resolve(string path)
    {
        var full = Path.GetFullPath(path);
        var info = new FileInfo(full);
        return info.Exists && info.ResolveLinkTarget(returnFinalTarget: true) is { } target ? Path.GetFullPath(target.FullName) : full;
    }
}
