using Microsoft.ML;
using Microsoft.ML.Data;
using SkiaSharp;

namespace MlToolkit.Pipelines.Images;

/// <summary>
/// Checks that every path in an image-path column names a file that decodes as an image, before ML.NET's image
/// loader meets it: that loader reports a bad file only as "Invalid input stream contents", without its name.
/// Every file is decoded in full (a truncated PNG has a valid header), and every bad file is reported, not only the first.
/// </summary>
public static class ImageFiles
{
    /// <summary>How many bad files an error lists by name; the rest are counted.</summary>
    public const int ListedProblems = 20;

    /// <summary>Returns the number of images checked.</summary>
    /// <exception cref="DataFormatException">Paths are empty, missing, or not decodable images; the message names each (up to <see cref="ListedProblems"/>) with its row.</exception>
    public static long Check(IDataView data, string pathColumn)
    {
        ArgumentNullException.ThrowIfNull(data);
        var column = data.Schema.GetColumnOrNull(pathColumn)
            ?? throw new SchemaException($"Image path column '{pathColumn}' not found. Columns: {string.Join(", ", data.Schema.Select(c => c.Name))}.");
        using var cursor = data.GetRowCursor(new[] { column });
        var getter = cursor.GetGetter<ReadOnlyMemory<char>>(column);
        ReadOnlyMemory<char> value = default;
        long rows = 0;
        var problems = new List<string>();
        var count = 0;
        while (cursor.MoveNext())
        {
            getter(ref value);
            rows++;
            if (Problem(value.ToString()) is { } problem)
            {
                count++;
                if (problems.Count < ListedProblems)
                    problems.Add($"row {rows}: {problem}");
            }
        }
        if (count > 0)
        {
            var more = count > problems.Count ? $"; and {count - problems.Count} more" : "";
            throw new DataFormatException($"column '{pathColumn}'",
                $"{count} of {rows} images cannot be used (expected PNG, JPEG, BMP, GIF or WebP files that decode in full): {string.Join("; ", problems)}{more}");
        }
        return rows;
    }

    /// <summary>Why the file at <paramref name="path"/> is not a usable image, or null when it decodes in full.</summary>
    public static string? Problem(string path)
    {
        if (path.Length == 0)
            return "the image path is empty";
        if (!File.Exists(path))
            return $"{path}: file not found";
        using var codec = SKCodec.Create(path);
        if (codec is null || codec.Info.Width <= 0 || codec.Info.Height <= 0)
            return $"{path}: not an image";
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var bitmap = new SKBitmap(info);
        var result = codec.GetPixels(info, bitmap.GetPixels());
        return result == SKCodecResult.Success ? null : $"{path}: {(result == SKCodecResult.IncompleteInput ? "truncated" : $"cannot be decoded ({result})")}";
    }
}
