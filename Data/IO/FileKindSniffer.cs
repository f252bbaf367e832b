using System.IO.Compression;
using System.Text;

namespace MlToolkit.Data.IO;

/// <summary>
/// Tells, from its first bytes, a file that is not delimited text: an Excel workbook, another ZIP archive, a Parquet
/// file, JSON, or binary data. Read as CSV such a file fails somewhere inside ("line 28: field 2 has 'ã' after its
/// closing quote"), which says nothing of the real mistake.
/// </summary>
public static class FileKindSniffer
{
    /// <summary>Bytes looked at: enough for every signature and a JSON opening.</summary>
    public const int HeadLength = 4096;

    private const string Remedy = "expected delimited text (CSV or TSV, optionally gzip-compressed)";

    /// <summary>
    /// What the file whose (decompressed) first bytes are <paramref name="head"/> is, when that is not delimited text,
    /// with what to do; null when it may be text. <paramref name="entries"/> lists a ZIP archive's entry names when
    /// they could be read.
    /// </summary>
    public static string? NotText(ReadOnlySpan<byte> head, IReadOnlyList<string>? entries = null)
    {
        if (IsZip(head))
            return Zip(entries ?? Array.Empty<string>());
        if (head.StartsWith(new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 }))
            return $"is an Excel 97-2003 workbook (.xls) or another legacy Office file; {Remedy}: save the sheet as CSV (File > Save As > CSV UTF-8) and give that file";
        if (head.StartsWith("PAR1"u8))
            return $"is a Parquet file; {Remedy}: write it as CSV (pandas: pd.read_parquet(path).to_csv('data.csv', index=False)) and give that file";
        if (IsJson(head))
            return $"is JSON; {Remedy}: write it as CSV (pandas: pd.read_json(path).to_csv('data.csv', index=False)) and give that file";
        if (!HasUnicodeMark(head) && head.IndexOf((byte)0) >= 0)
            return $"is binary data (it holds NUL bytes); {Remedy}";
        return null;
    }

    /// <summary>Whether <paramref name="head"/> starts with a ZIP archive's local file header (an .xlsx is one too).</summary>
    public static bool IsZip(ReadOnlySpan<byte> head) => head.StartsWith("PK\u0003\u0004"u8);

    /// <summary>The entry names of the ZIP archive <paramref name="open"/> gives, or none when it cannot be read as one.</summary>
    public static IReadOnlyList<string> ZipEntries(Func<Stream> open)
    {
        ArgumentNullException.ThrowIfNull(open);
        try
        {
            using var stream = open();
            using var archive = new ZipArchive(stream, ZipArchiveMode.Read);
            return archive.Entries.Select(e => e.FullName).Take(1000).ToList();
        }
        catch (InvalidDataException)
        {
            return Array.Empty<string>();
        }
        catch (NotSupportedException)
        {
            return Array.Empty<string>(); // a stream ZipArchive cannot seek in
        }
    }

    private static string Zip(IReadOnlyList<string> entries)
    {
        if (entries.Any(e => e.StartsWith("xl/", StringComparison.Ordinal)))
            return $"is an Excel workbook (.xlsx); {Remedy}: save the sheet as CSV (File > Save As > CSV UTF-8) and give that file";
        if (entries.Contains("content.xml") && entries.Contains("mimetype"))
            return $"is an OpenDocument file (.ods, as LibreOffice saves); {Remedy}: save the sheet as CSV or as an Excel workbook (.xlsx) and give that file";
        var csv = entries.Where(e => e.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || e.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase)).Take(3).ToList();
        if (csv.Count > 0)
            return $"is a ZIP archive holding {string.Join(", ", csv.Select(c => $"'{c}'"))}; {Remedy}: extract the file and give it (or gzip it: only gzip is read as it is)";
        var first = entries.Count > 0 ? $" (first entry '{entries[0]}')" : "";
        return $"is a ZIP archive{first}; {Remedy}. A saved model is given with --model.";
    }

    // '{' then '"', or '[' then '{', '[' or '"': a JSON document or a JSON-lines file, not a header row.
    private static bool IsJson(ReadOnlySpan<byte> head)
    {
        var text = SkipSpace(head.StartsWith(Encoding.UTF8.Preamble) ? head[3..] : head);
        if (text.Length < 2 || (text[0] != (byte)'{' && text[0] != (byte)'['))
            return false;
        var next = SkipSpace(text[1..]);
        return next.Length > 0 && (text[0] == (byte)'{' ? next[0] == (byte)'"' : next[0] is (byte)'{' or (byte)'[' or (byte)'"');
    }

    private static ReadOnlySpan<byte> SkipSpace(ReadOnlySpan<byte> bytes)
    {
        var i = 0;
        while (i < bytes.Length && bytes[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            i++;
        return bytes[i..];
    }

    // UTF-16 and UTF-32 text holds NUL bytes; StreamReader reads it by its byte-order mark.
    private static bool HasUnicodeMark(ReadOnlySpan<byte> head) =>
        head.StartsWith(new byte[] { 0xFF, 0xFE }) || head.StartsWith(new byte[] { 0xFE, 0xFF }) || head.StartsWith(new byte[] { 0x00, 0x00, 0xFE, 0xFF });
}
