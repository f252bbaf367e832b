using System.Text;

namespace MlToolkit.Data.IO;

/// <summary>
/// Decodes the bytes that are not UTF-8 as Windows-1252, the code page Excel on Windows saves "CSV" in: <c>café</c>
/// saved that way is 63 61 66 E9, whose E9 starts no valid UTF-8 sequence. Read as plain UTF-8 each such byte became
/// U+FFFD, so categories and class names came back garbled in predictions. Real UTF-8 text never reaches this
/// fallback, and Windows-1252 text almost never forms valid UTF-8, so both read right, even mixed in one file.
/// </summary>
internal sealed class Windows1252Fallback : DecoderFallback
{
    /// <summary>UTF-8 that decodes any byte it cannot read as Windows-1252 (no BOM written; BOMs are honoured by the reader).</summary>
    public static Encoding Utf8 { get; } = Encoding.GetEncoding("utf-8", EncoderFallback.ReplacementFallback, new Windows1252Fallback());

    // 0x80–0x9F differ from Latin-1; the five bytes Windows-1252 leaves undefined keep their Latin-1 code points.
    private const string HighControls = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ";

    /// <inheritdoc/>
    public override int MaxCharCount => 4;

    /// <inheritdoc/>
    public override DecoderFallbackBuffer CreateFallbackBuffer() => new Buffer();

    /// <summary>The character Windows-1252 writes as <paramref name="value"/>.</summary>
    internal static char Decode(byte value) => value is >= 0x80 and <= 0x9F ? HighControls[value - 0x80] : (char)value;

    private sealed class Buffer : DecoderFallbackBuffer
    {
        private char[] _chars = Array.Empty<char>();
        private int _next;

        public override int Remaining => _chars.Length - _next;

        public override bool Fallback(byte[] bytesUnknown, int index)
        {
            _chars = Array.ConvertAll(bytesUnknown, Decode);
            _next = 0;
            return _chars.Length > 0;
        }

        public override char GetNextChar() => _next < _chars.Length ? _chars[_next++] : '\0';

        public override bool MovePrevious()
        {
            if (_next == 0)
                return false;
            _next--;
            return true;
        }

        public override void Reset()
        {
            _chars = Array.Empty<char>();
            _next = 0;
        }
    }
}
