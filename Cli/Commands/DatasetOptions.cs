using System.CommandLine;
using Microsoft.ML;
using MlToolkit.Data.Delimited;
using MlToolkit.Data.Images;
using MlToolkit.Pipelines.Featurization;
using MlToolkit.Data.Samples;

namespace MlToolkit.Cli.Commands;

/// <summary>The options that choose and read a dataset, shared by the commands that take data.</summary>
internal sealed class DatasetOptions
{
    public Option<string?> Dataset { get; } = new("--dataset", "-d")
    {
        Description = "CSV/TSV file (optionally .gz) or Excel workbook (.xlsx, its first sheet), an image folder (root/<class>/<image>, as --images), or an IDX images file (as --idx-images, its labels found beside it). Omit it to use the built-in sample named by --sample.",
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

    public Option<string?> Sheet { get; } = new("--sheet")
    {
        Description = "The worksheet to read when --dataset is an Excel workbook (.xlsx), by name; the first sheet when omitted. Give it again to predict, evaluate or explain with the same workbook layout.",
    };

    public Option<int?> TitleLines { get; } = new("--title-lines")
    {
        Description = "Lines above the table to leave out (a report's title). Default: detected (lines of one filled field, or two fields fewer, above a table of 3+ columns); 0 reads every line.",
    };

    public Option<int?> FooterLines { get; } = new("--footer-lines")
    {
        Description = "Lines at the end of the file to leave out (a report's closing note or totals line). Default: detected (up to 5 lines of one filled field, or two fields fewer, below a table of 3+ columns); 0 reads every line.",
    };

    public Option<bool?> HasHeader { get; } = new("--has-header")
    {
        Description = "Whether the first row names the columns. Default: detected.",
    };

    public Option<string?> Images { get; } = new("--images")
    {
        Description = "Image folder with one sub-folder per class (root/<class>/<image>); images are resized to --image-size.",
    };

    public Option<int> ImageSize { get; } = new("--image-size")
    {
        Description = "Side in pixels that --images are resized to.",
        DefaultValueFactory = _ => 28,
    };

    public Option<bool> Grayscale { get; } = new("--grayscale")
    {
        Description = "Read --images as one grayscale channel instead of RGB.",
    };

    public Option<string?> IdxImages { get; } = new("--idx-images")
    {
        Description = "MNIST-style IDX image file (idx3, .gz or raw); its labels are --idx-labels, else the idx1 file named like it (train-images-idx3-ubyte.gz → train-labels-idx1-ubyte.gz).",
    };

    public Option<string?> IdxLabels { get; } = new("--idx-labels")
    {
        Description = "MNIST-style IDX label file (idx1) matching --idx-images.",
    };

    public Option<string?> DecimalSeparator { get; } = new("--decimal-separator")
    {
        Description = "Decimal mark of numbers in the file: . or , (as in 3,14 with ; as separator). Default: detected.",
    };

    public Option<string[]> ColumnTypes { get; } = new("--column-type")
    {
        Description = "Override an inferred column type: NAME=numeric|boolean|text, or NAME=monthfirst|dayfirst for dates such as 03/04/2024 (repeatable; text also keeps a column of dates as text).",
        AllowMultipleArgumentsPerToken = true,
    };

    public Option<string[]> MissingValues { get; } = new("--missing-values")
    {
        Description = "Values to read as missing besides the empty field and NA, N/A, NaN, null, None, ? (comma-separated or repeated; e.g. --missing-values -,n.a.).",
        AllowMultipleArgumentsPerToken = true,
    };

    /// <summary>The input paths given on the command line, by option (for checks that an output is not one of them).</summary>
    public IEnumerable<(string Option, string? Path)> Inputs(ParseResult result) => new[]
    {
        ("--dataset", result.GetValue(Dataset)), ("--images", result.GetValue(Images)),
        ("--idx-images", result.GetValue(IdxImages)), ("--idx-labels", result.GetValue(IdxLabels)),
    };

    public IEnumerable<Option> All => new Option[] { Dataset, Sample, Sheet, Separator, TitleLines, FooterLines, HasHeader, DecimalSeparator, ColumnTypes, MissingValues, Images, ImageSize, Grayscale, IdxImages, IdxLabels };

    private static int? LineCount(ParseResult result, Option<int?> option) => result.GetValue(option) switch
    {
        < 0 and var count => throw new ArgumentException($"{option.Name} {count} is not a number of lines: give 0 or more (0 reads every line)."),
        var count => count,
    };

    /// <summary>Prints what inference was unsure of (e.g. a mostly numeric column read as text) as warnings.</summary>
    public static void Warn(LoadedDataset dataset, TextWriter error)
    {
        foreach (var warning in dataset.Layout?.Warnings ?? Array.Empty<string>())
            error.WriteLine($"warning: {warning}");
    }

    /// <summary>Warns when the label's classes include ones that differ only in case or surrounding spaces (they are learned as different classes).</summary>
    public static void WarnConfusableClasses(Models.ModelDescription description, TextWriter error)
    {
        var groups = Pipelines.Labels.LabelEncoding.ConfusableClasses(description.Classes);
        if (groups.Count == 0)
            return;
        var written = string.Join("; ", groups.Select(g => string.Join(", ", g.Select(c => $"'{c}'"))));
        error.WriteLine($"warning: label '{description.LabelColumn}' has classes that differ only in letter case or surrounding spaces ({written}); "
            + "they were learned as different classes: if each group is one class, write it one way in the file");
    }

    /// <summary>The data, read with the column kinds <paramref name="model"/> was trained on (so that both parse alike); warnings go to <paramref name="error"/>.</summary>
    public LoadedDataset LoadFor(ParseResult result, Models.TrainedModel model, TextWriter error)
    {
        var kinds = model.Description.InputColumns.ToDictionary(c => c.Name, c => c.Kind);
        var dataset = Load(result, kinds.Count > 0 ? kinds : null);
        Warn(dataset, error);
        return dataset;
    }

    /// <summary>The chosen data, read with <paramref name="columnKinds"/> overriding inference where given.</summary>
    public LoadedDataset Load(ParseResult result, IReadOnlyDictionary<string, ColumnKind>? columnKinds = null)
    {
        var sources = new[] { result.GetValue(Dataset) is not null, result.GetValue(Images) is not null, result.GetValue(IdxImages) is not null || result.GetValue(IdxLabels) is not null };
        if (sources.Count(s => s) > 1)
            throw new ArgumentException("Give only one of --dataset, --images, or --idx-images with --idx-labels.");
        if (result.GetValue(Images) is { } folder)
            return ImageFolderDataset(folder, result);
        if (result.GetValue(IdxImages) is not null || result.GetValue(IdxLabels) is not null)
        {
            var images = result.GetValue(IdxImages) ?? throw new ArgumentException("--idx-labels needs --idx-images.");
            return IdxDataset(images, result.GetValue(IdxLabels) ?? IdxDataView.LabelsBeside(images));
        }
        var (kinds, dateOrders) = ParseColumnTypes(result.GetValue(ColumnTypes));
        var options = new DelimitedLoadOptions
        {
            Sheet = result.GetValue(Sheet),
            Separator = ParseSeparator(result.GetValue(Separator)),
            HasHeader = result.GetValue(HasHeader),
            TitleLines = LineCount(result, TitleLines),
            FooterLines = LineCount(result, FooterLines),
            DecimalSeparator = result.GetValue(DecimalSeparator) switch
            {
                null => null,
                "." or "dot" => '.',
                "," or "comma" => ',',
                var other => throw new ArgumentException($"--decimal-separator '{other}' is not . or ,."),
            },
            ColumnKinds = columnKinds ?? kinds,
            DateOrders = dateOrders,
            MissingValueTokens = WithMissingValues(new DelimitedLoadOptions().MissingValueTokens, result.GetValue(MissingValues)),
        };
        var path = result.GetValue(Dataset);
        if (path is not null && Directory.Exists(path))
            return ImageFolderDataset(path, result);
        if (path is not null && IdxDataView.IsImagesFile(path))
            return IdxDataset(path, IdxDataView.LabelsBeside(path));
        if (path is not null)
            return new LoadedDataset(path, DelimitedFile.Load(path, options), DefaultLabel: null, Features: null) { LoadOptions = options };
        var sample = SampleDatasets.Get(result.GetValue(Sample)!);
        return new LoadedDataset($"sample:{sample.Name}", DelimitedFile.Load(sample.OpenSource(), options), sample.LabelColumn, Features: null) { LoadOptions = options };
    }

    private LoadedDataset ImageFolderDataset(string folder, ParseResult result)
    {
        var size = result.GetValue(ImageSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 4, "--image-size");
        return new LoadedDataset(folder, ImageFolder.Load(new MLContext(seed: 1), folder), "Label", new ImageFeaturePlan("ImagePath", size, result.GetValue(Grayscale)));
    }

    private static LoadedDataset IdxDataset(string images, string labels) =>
        new(images, IdxDataView.Load(images, labels), IdxDataView.LabelColumn, new TensorFeaturePlan(IdxDataView.ImageColumn));

    private static IReadOnlySet<string> WithMissingValues(IReadOnlySet<string> defaults, string[]? given)
    {
        var tokens = new HashSet<string>(defaults, StringComparer.OrdinalIgnoreCase);
        foreach (var token in (given ?? Array.Empty<string>()).SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries)))
            tokens.Add(token.Length > 0 ? token : throw new ArgumentException("--missing-values holds an empty value; the empty field is always missing."));
        return tokens;
    }

    private static (Dictionary<string, ColumnKind> Kinds, Dictionary<string, DateOrder> DateOrders) ParseColumnTypes(string[]? values)
    {
        var kinds = new Dictionary<string, ColumnKind>(StringComparer.OrdinalIgnoreCase);
        var dateOrders = new Dictionary<string, DateOrder>(StringComparer.OrdinalIgnoreCase);
        foreach (var value in values ?? Array.Empty<string>())
        {
            var parts = value.Split('=', 2, StringSplitOptions.TrimEntries);
            var type = parts.Length == 2 && parts[0].Length > 0 ? parts[1].ToLowerInvariant() : "";
            if (type is "monthfirst" or "dayfirst")
                dateOrders[parts[0]] = type == "monthfirst" ? DateOrder.MonthFirst : DateOrder.DayFirst;
            else if (type is "numeric" or "boolean" or "text")
                kinds[parts[0]] = Enum.Parse<ColumnKind>(type, ignoreCase: true);
            else
                throw new ArgumentException($"--column-type '{value}' is not NAME=numeric, NAME=boolean, NAME=text, NAME=monthfirst or NAME=dayfirst.");
        }
        return (kinds, dateOrders);
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
/// <param name="DefaultLabel">The label column to use when none is given (samples and images).</param>
/// <param name="Features">How it becomes features; null for delimited files (featurized by their inferred layout).</param>
internal sealed record LoadedDataset(string Name, IDataView Data, string? DefaultLabel, IFeaturePlan? Features)
{
    /// <summary>The inferred layout of delimited data; null for images.</summary>
    public DelimitedSchema? Layout => (Data as DelimitedDataView)?.Layout;

    /// <summary>What the user said about reading delimited data (missing-value tokens, column types, …); null for images.</summary>
    public DelimitedLoadOptions? LoadOptions { get; init; }

    /// <summary>The line that tells which columns were left out as identifiers and how to use one; null when none were.</summary>
    public static string? IdentifierLine(IReadOnlyList<string> identifiers) => identifiers.Count == 0 ? null
        : $"Left out {string.Join(", ", identifiers)}: a different value in every row, read as {(identifiers.Count == 1 ? "an identifier" : "identifiers")}, not a feature (--column-type {identifiers[0]}=text or =numeric uses it)";
}
