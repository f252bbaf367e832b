using System.Globalization;
using Microsoft.ML.Tokenizers;

namespace MlToolkit.Pipelines.Text;

/// <summary>Splits text into the string keys a vocabulary counts: words and punctuation, or cl100k ids as text.</summary>
internal abstract class TokenSplitter
{
    private static readonly Lazy<TiktokenTokenizer> Cl100k = new(() => TiktokenTokenizer.CreateForModel("gpt-4"));
    private static readonly PreTokenizer WordOrPunctuation = PreTokenizer.CreateWordOrPunctuation(null);

    public static TokenSplitter For(TokenIdEstimator.Options options) =>
        options.Tokenizer == TokenizerKind.Cl100k ? new Cl100kSplitter() : new WordSplitter(options.Lowercase);

    public abstract IEnumerable<string> Split(ReadOnlySpan<char> text);

    private sealed class WordSplitter(bool lowercase) : TokenSplitter
    {
        public override IEnumerable<string> Split(ReadOnlySpan<char> text)
        {
            var source = lowercase ? text.ToString().ToLowerInvariant() : text.ToString();
            var tokens = new List<string>();
            foreach (var (offset, length) in WordOrPunctuation.PreTokenize(source))
                tokens.Add(source.Substring(offset, length));
            return tokens;
        }
    }

    private sealed class Cl100kSplitter : TokenSplitter
    {
        public override IEnumerable<string> Split(ReadOnlySpan<char> text) =>
            Cl100k.Value.EncodeToIds(text).Select(id => id.ToString(CultureInfo.InvariantCulture)).ToList();
    }
}
