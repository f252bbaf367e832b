using Microsoft.ML;
using Microsoft.ML.Data;
using SkiaSharp;

namespace MlToolkit.Pipelines.Images;

/// <summary>
/// Checks that every path in an image-path column names a file that decodes as an image, before ML.NET's image
/// loader meets it: that loader reports a bad file only as "Invalid input stream contents", without its name.
/// Only the header of each file is read.
/// </summary>
public static class ImageFiles
{
    /// <summary>Returns the number of images checked.</summary>
    /// <exception cref="DataFormatException">A path is empty, missing, or not a decodable image; the message names it and its row.</exception>
    public static long Check(IDataView data, string pathColumn)
    {
        ArgumentNullException.ThrowIfNull(data);
        var column = data.Schema.GetColumnOrNull(pathColumn)
            ?? throw new SchemaException($"Image path column '{pathColumn}' not found. Columns: {string.Join(", ", data.Schema.Select(c => c.Name))}.");
        using var cursor = data.GetRowCursor(new[] { column });
        var getter = cursor.GetGetter<ReadOnlyMemory<char>>(column);
        ReadOnlyMemory<char> value = default;
        long rows = 0;
        while (cursor.MoveNext())
        {
            getter(ref value);
            rows++;
            var path = value.ToString();
            if (path.Length == 0)
                throw new DataFormatException($"column '{pathColumn}'", "the image path is empty", rows, pathColumn);
            if (!File.Exists(path))
                throw new DataFormatException(path, $"image file not found (row {rows} of column '{pathColumn}')");
            using var codec = SKCodec.Create(path);
            if (codec is null || codec.Info.Width <= 0 || codec.Info.Height <= 0)
                throw new DataFormatException(path, $"cannot be decoded as an image (row {rows} of column '{pathColumn}'); expected PNG, JPEG, BMP, GIF or WebP");
        }
        return rows;
    }
}
