using Microsoft.ML;
using MlToolkit.Data.IO;

namespace MlToolkit.Data.Delimited;

/// <summary>Entry points to read CSV/TSV files (plain or gzip) as streaming <see cref="IDataView"/>s.</summary>
public static class DelimitedFile
{
    /// <summary>Infers the schema of the file at <paramref name="path"/> and returns a streaming view of it.</summary>
    /// <exception cref="DataFormatException">The file is missing, empty or malformed.</exception>
    public static DelimitedDataView Load(string path, DelimitedLoadOptions? options = null) =>
        Load(TextSource.FromFile(path, options?.Sheet), options);

    /// <summary>Infers the schema of <paramref name="source"/> and returns a streaming view of it.</summary>
    public static DelimitedDataView Load(TextSource source, DelimitedLoadOptions? options = null)
    {
        options ??= new DelimitedLoadOptions();
        return new DelimitedDataView(source, DelimitedSchemaInference.Infer(source, options), options.MissingValueTokens);
    }

    /// <summary>
    /// Reads the file at <paramref name="path"/> with a known schema (e.g. the one a model was trained with). Its format is
    /// taken as it is, the title and footer lines it leaves out included; load a file laid out otherwise with
    /// <see cref="Load(string, DelimitedLoadOptions?)"/>.
    /// </summary>
    public static DelimitedDataView Load(string path, DelimitedSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return new(TextSource.FromFile(path, schema.Format.Sheet), schema);
    }

    /// <summary>ML.NET-style entry: <c>mlContext.Data.LoadFromDelimitedFile(path)</c>.</summary>
    public static DelimitedDataView LoadFromDelimitedFile(this DataOperationsCatalog catalog, string path, DelimitedLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return Load(path, options);
    }
}
