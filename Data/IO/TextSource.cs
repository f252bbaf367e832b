using System.IO.Compression;
using System.Text;
using MlToolkit.Data.IO.Excel;

namespace MlToolkit.Data.IO;

/// <summary>
/// Something that can be opened for reading as text more than once: a file on disk (gzip-compressed or not, told by
/// its first bytes; an Excel workbook reads as the CSV of one sheet, <see cref="XlsxWorkbook"/>) or a stream factory
/// such as an embedded resource. Each reader is independent, so several cursors can stream the same data at once
/// without holding it in memory.
/// </summary>
public sealed class TextSource
{
    private readonly Func<Stream> _open;
    private volatile bool _checkedKind;

    private TextSource(string name, Func<Stream> open)
    {
        Name = name;
        _open = open;
    }

    /// <summary>The file path or dataset name, used in error messages.</summary>
    public string Name { get; }

    /// <summary>A file on disk; gzip files are decompressed on the fly, and an Excel workbook reads as its first sheet.</summary>
    /// <exception cref="DataFormatException">The file does not exist.</exception>
    public static TextSource FromFile(string path) => FromFile(path, sheet: null);

    /// <summary>A file on disk; an Excel workbook reads as its worksheet <paramref name="sheet"/> (null: the first).</summary>
    /// <exception cref="DataFormatException">The file does not exist, or <paramref name="sheet"/> is given and the file is no workbook.</exception>
    public static TextSource FromFile(string path, string? sheet)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
            throw new DataFormatException(path, "is a folder; expected a delimited text file (.csv, .tsv, optionally .gz)");
        if (!File.Exists(full))
            throw new DataFormatException(path, "file not found");
        return Readable(path, () => new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan), sheet);
    }

    /// <summary>Any re-openable stream; gzip content is decompressed on the fly.</summary>
    public static TextSource FromStream(string name, Func<Stream> open)
    {
        ArgumentNullException.ThrowIfNull(open);
        return Readable(name, open, sheet: null);
    }

    // An Excel workbook is read as the CSV text of one sheet, converted once, when first opened.
    private static TextSource Readable(string name, Func<Stream> open, string? sheet)
    {
        var sheetName = StartsAsZip(open) ? XlsxWorkbook.SheetNameIfWorkbook(open, name, sheet) : null;
        if (sheetName is null)
        {
            return sheet is null ? new TextSource(name, open)
                : throw new DataFormatException(name, $"is not an Excel workbook, so it has no sheet '{sheet}'; give a sheet (--sheet) only with an .xlsx file");
        }
        // Errors then name the sheet with the file: "book.xlsx, sheet 'Data', line 28, column 'x'".
        var named = $"{name}, sheet '{sheetName}'";
        var csv = new Lazy<byte[]>(() => XlsxWorkbook.SheetAsCsv(open, name, sheet));
        return new TextSource(named, () => new MemoryStream(csv.Value, writable: false));
    }

    private static bool StartsAsZip(Func<Stream> open)
    {
        using var stream = open();
        Span<byte> magic = stackalloc byte[4];
        return stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false) == 4 && FileKindSniffer.IsZip(magic);
    }

    /// <summary>
    /// Opens a fresh reader positioned at the start of the text: UTF-8, a byte-order mark honoured (UTF-16 and UTF-32
    /// too), and bytes that are not UTF-8 read as Windows-1252 (<see cref="Windows1252Fallback"/>).
    /// </summary>
    /// <exception cref="DataFormatException">The content is not text: an Excel workbook, a ZIP archive, Parquet, JSON or binary data (<see cref="FileKindSniffer"/>).</exception>
    public TextReader OpenReader()
    {
        if (!_checkedKind)
        {
            ThrowIfNotText();
            _checkedKind = true;
        }
        return new StreamReader(OpenContent(), Windows1252Fallback.Utf8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
    }

    /// <summary>
    /// The last <paramref name="count"/> lines of the text (fewer when it has fewer), as <see cref="TextReader.ReadLine"/>
    /// splits them. A plain file is read from near its end; compressed or UTF-16/32 text is read through.
    /// </summary>
    public IReadOnlyList<string> LastLines(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        using (var content = OpenContent(out var isGzip))
        {
            if (!isGzip && content.CanSeek && !StartsWithWideByteOrderMark(content))
                return LastLinesBySeeking(content, count);
        }
        using var reader = OpenReader();
        return LastLinesOf(reader, count);
    }

    // From a window at the end, doubled until it holds a whole line more than asked for (its first may be cut).
    private static IReadOnlyList<string> LastLinesBySeeking(Stream content, int count)
    {
        for (long window = 1 << 16; ; window *= 2)
        {
            var start = Math.Max(0, content.Length - window);
            content.Position = start;
            var reader = new StreamReader(content, Windows1252Fallback.Utf8, detectEncodingFromByteOrderMarks: start == 0, bufferSize: 1 << 16, leaveOpen: true);
            var lines = LastLinesOf(reader, count + 1);
            if (start == 0)
                return lines.Skip(Math.Max(0, lines.Count - count)).ToList();
            if (lines.Count > count)
                return lines.Skip(1).ToList();
        }
    }

    private static List<string> LastLinesOf(TextReader reader, int count)
    {
        var lines = new Queue<string>(count + 1);
        while (reader.ReadLine() is { } line)
        {
            lines.Enqueue(line);
            if (lines.Count > count)
                lines.Dequeue();
        }
        return lines.ToList();
    }

    private static bool StartsWithWideByteOrderMark(Stream content)
    {
        Span<byte> mark = stackalloc byte[2];
        var read = content.ReadAtLeast(mark, 2, throwOnEndOfStream: false);
        content.Position = 0;
        return read == 2 && ((mark[0] == 0xFF && mark[1] == 0xFE) || (mark[0] == 0xFE && mark[1] == 0xFF) || (mark[0] == 0 && mark[1] == 0));
    }

    private void ThrowIfNotText()
    {
        var head = new byte[FileKindSniffer.HeadLength];
        int read;
        bool isGzip;
        using (var content = OpenContent(out isGzip))
            read = content.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var entries = !isGzip && FileKindSniffer.IsZip(head.AsSpan(0, read)) ? FileKindSniffer.ZipEntries(_open) : null;
        if (FileKindSniffer.NotText(head.AsSpan(0, read), entries) is { } what)
            throw new DataFormatException(Name, what);
    }

    private Stream OpenContent() => OpenContent(out _);

    private Stream OpenContent(out bool isGzip)
    {
        var stream = _open();
        if (stream.CanSeek)
        {
            Span<byte> magic = stackalloc byte[2];
            isGzip = stream.ReadAtLeast(magic, 2, throwOnEndOfStream: false) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
            stream.Position = 0;
        }
        else
        {
            isGzip = Name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);
        }
        return isGzip ? new GZipStream(stream, CompressionMode.Decompress) : stream;
    }
}
