using System.CommandLine;
using MlToolkit.Data.Delimited;
using MlToolkit.Data.Samples;

namespace MlToolkit.Cli.Commands;

/// <summary>The options that choose and read a dataset, shared by the commands that take data.</summary>
internal sealed class DatasetOptions
{
    public Option<string?> Dataset { get; } = new("--dataset", "-d")
    {
        Description = "CSV/TSV file (optionally .gz). Omit it to use the built-in sample named by --sample.",
    };

    public Option<string> Sample { get; } = new("--sample")
    {
        Description = $"Built-in sample used when --dataset is omitted: {string.Join(", ", SampleDatasets.All.Select(s => s.Name))}.",
        DefaultValueFactory = _ => SampleDatasets.DigitsInfo.Name,
    };

    public Option<string?> Separator { get; } = new("--separator")
    {
        Description = "Field separator: comma, tab, semicolon, pipe or one character. Default: detected.",
    };

    public Option<bool?> HasHeader { get; } = new("--has-header")
    {
        Description = "Whether the first row names the columns. Default: detected.",
    };

    public IEnumerable<Option> All => new Option[] { Dataset, Sample, Separator, HasHeader };

    /// <summary>The chosen data, read with <paramref name="columnKinds"/> overriding inference where given.</summary>
    public LoadedDataset Load(ParseResult result, IReadOnlyDictionary<string, ColumnKind>? columnKinds = null)
    {
        var options = new DelimitedLoadOptions
        {
            Separator = ParseSeparator(result.GetValue(Separator)),
            HasHeader = result.GetValue(HasHeader),
            ColumnKinds = columnKinds ?? new Dictionary<string, ColumnKind>(),
        };
        var path = result.GetValue(Dataset);
        if (path is not null)
            return new LoadedDataset(path, DelimitedFile.Load(path, options), DefaultLabel: null);
        var sample = SampleDatasets.Get(result.GetValue(Sample)!);
        return new LoadedDataset($"sample:{sample.Name}", DelimitedFile.Load(sample.OpenSource(), options), sample.LabelColumn);
    }

    private static char? ParseSeparator(string? value) => value?.ToLowerInvariant() switch
    {
        null => null,
        "comma" or "," => ',',
        "tab" or "\\t" or "\t" => '\t',
        "semicolon" or ";" => ';',
        "pipe" or "|" => '|',
        { Length: 1 } single => single[0],
        _ => throw new ArgumentException($"--separator '{value}' is not one character nor one of comma, tab, semicolon, pipe."),
    };
}

/// <summary>A dataset the user chose.</summary>
/// <param name="Name">Its path, or <c>sample:NAME</c>.</param>
/// <param name="Data">The streaming view.</param>
/// <param name="DefaultLabel">The label column to use when none is given (samples only).</param>
internal sealed record LoadedDataset(string Name, DelimitedDataView Data, string? DefaultLabel);
