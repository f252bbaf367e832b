using Microsoft.ML;

namespace MlToolkit.Data.Images;

/// <summary>
/// A folder of images laid out one sub-folder per class (<c>root/&lt;class&gt;/&lt;file&gt;</c>), listed as rows of
/// (<c>ImagePath</c>, <c>Label</c>) sorted by class then file name. The images themselves are read later by the
/// image pipeline, so listing a large folder costs only the paths.
/// </summary>
public static class ImageFolder
{
    /// <summary>Extensions treated as images (case-insensitive).</summary>
    public static IReadOnlySet<string> ImageExtensions { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp" };

    /// <summary>One listed image.</summary>
    public sealed class Entry
    {
        /// <summary>Full path of the image file.</summary>
        public string ImagePath { get; set; } = "";

        /// <summary>Its class: the name of its sub-folder.</summary>
        public string Label { get; set; } = "";
    }

    /// <summary>Lists the images under <paramref name="root"/>.</summary>
    /// <exception cref="DataFormatException">The folder is missing, has no class sub-folders, or a class has no images.</exception>
    public static IReadOnlyList<Entry> List(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        if (!Directory.Exists(root))
            throw new DataFormatException(root, "image folder not found");
        var classes = Directory.GetDirectories(root).OrderBy(d => Path.GetFileName(d), StringComparer.Ordinal).ToList();
        if (classes.Count == 0)
            throw new DataFormatException(root, "has no sub-folders; expected one sub-folder of images per class (root/<class>/<image>)");
        var entries = new List<Entry>();
        foreach (var folder in classes)
        {
            var images = Directory.GetFiles(folder).Where(f => ImageExtensions.Contains(Path.GetExtension(f))).Order(StringComparer.Ordinal).ToList();
            if (images.Count == 0)
                throw new DataFormatException(folder, $"class folder has no images ({string.Join(", ", ImageExtensions.Order())})");
            entries.AddRange(images.Select(path => new Entry { ImagePath = Path.GetFullPath(path), Label = Path.GetFileName(folder) }));
        }
        return entries;
    }

    /// <summary>The images under <paramref name="root"/> as an <see cref="IDataView"/> with <c>ImagePath</c> and <c>Label</c> text columns.</summary>
    public static IDataView Load(MLContext mlContext, string root)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        return new IO.InMemoryTextDataView(new[] { "ImagePath", "Label" }, List(root).Select(e => new[] { e.ImagePath, e.Label }).ToList());
    }
}
