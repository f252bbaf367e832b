using System.Reflection;
using Microsoft.ML;
using MlToolkit.Data.Delimited;
using MlToolkit.Data.IO;

namespace MlToolkit.Data.Samples;

/// <summary>A small dataset embedded in MlToolkit.Data so that examples and the CLI run with no download.</summary>
public sealed class SampleDataset
{
    private readonly string _resourceName;

    internal SampleDataset(string name, string fileName, string labelColumn, PredictionTask task, string description, string attribution)
    {
        Name = name;
        FileName = fileName;
        _resourceName = $"MlToolkit.Data.Samples.{fileName}";
        LabelColumn = labelColumn;
        Task = task;
        Description = description;
        Attribution = attribution;
    }

    /// <summary>Short name, as the CLI accepts it (e.g. <c>digits</c>).</summary>
    public string Name { get; }

    /// <summary>Name of the embedded file (gzip-compressed CSV or TSV).</summary>
    public string FileName { get; }

    /// <summary>The column to predict.</summary>
    public string LabelColumn { get; }

    /// <summary>The task the label calls for.</summary>
    public PredictionTask Task { get; }

    /// <summary>What the data is.</summary>
    public string Description { get; }

    /// <summary>Source, citation and licence.</summary>
    public string Attribution { get; }

    /// <summary>The data as a text source (decompressed on the fly), e.g. to copy it out.</summary>
    public TextSource OpenSource() => TextSource.FromStream($"sample:{Name}", OpenResource);

    /// <summary>Loads the dataset as a streaming <see cref="IDataView"/> with an inferred schema.</summary>
    public DelimitedDataView Load(MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        return DelimitedFile.Load(OpenSource());
    }

    private Stream OpenResource() =>
        Assembly.GetExecutingAssembly().GetManifestResourceStream(_resourceName)
        ?? throw new MlToolkitException($"Embedded sample '{_resourceName}' is missing from {Assembly.GetExecutingAssembly().Location}; the build is broken.");
}
