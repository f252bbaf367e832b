using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Pipelines.Transforms;

namespace MlToolkit.Pipelines.Text;

/// <summary>How text is split into tokens before ids are assigned.</summary>
public enum TokenizerKind
{
    /// <summary>Words and punctuation marks (Microsoft.ML.Tokenizers' word-or-punctuation pre-tokenizer), optionally lower-cased.</summary>
    Words,

    /// <summary>OpenAI's cl100k_base byte-pair encoding (Microsoft.ML.Tokenizers' tiktoken, data shipped in a NuGet package, no download).</summary>
    Cl100k,
}

/// <summary>
/// Learns a token vocabulary from a text column and produces a transformer writing fixed-length token ids and an
/// attention mask. Ids: 0 = padding, 1 = unknown (out of vocabulary), 2 = the optional class token, then the
/// vocabulary by falling frequency. Cl100k ids are remapped to the ones seen in training, so an embedding needs
/// only as many rows as the data uses, not 100k.
/// </summary>
public sealed class TokenIdEstimator : IEstimator<TokenIdTransformer>
{
    /// <summary>Id of padding positions.</summary>
    public const int PaddingId = 0;

    /// <summary>Id of tokens not in the vocabulary.</summary>
    public const int UnknownId = 1;

    /// <summary>Id of the class token prepended when <see cref="Options.PrependClassToken"/> is set.</summary>
    public const int ClassTokenId = 2;

    /// <summary>First id of vocabulary tokens.</summary>
    public const int FirstVocabularyId = 3;

    private readonly Options _options;

    /// <summary>Creates the estimator; the options are validated and copied.</summary>
    public TokenIdEstimator(Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options with { };
    }

    /// <summary>Tokenization settings. Defaults suit sentiment-sized documents.</summary>
    public sealed record Options
    {
        /// <summary>The text column to read.</summary>
        public required string InputColumnName { get; init; }

        /// <summary>The token id column written: a vector of <see cref="MaxLength"/> Single values (exact integers). Default <c>Tokens</c>.</summary>
        public string OutputColumnName { get; init; } = "Tokens";

        /// <summary>The attention mask column: 1 for real tokens, 0 for padding. Default: the output name + <c>Mask</c>.</summary>
        public string? MaskColumnName { get; init; }

        /// <summary>How to split text. Default <see cref="TokenizerKind.Words"/>.</summary>
        public TokenizerKind Tokenizer { get; init; } = TokenizerKind.Words;

        /// <summary>Tokens per row; longer texts are truncated (their head is kept), shorter ones padded. Default 256.</summary>
        public int MaxLength { get; init; } = 256;

        /// <summary>Most vocabulary entries kept (the most frequent). Default 20,000.</summary>
        public int MaxVocabularySize { get; init; } = 20_000;

        /// <summary>Fewest occurrences in the training data for a token to enter the vocabulary. Default 2.</summary>
        public int MinFrequency { get; init; } = 2;

        /// <summary>Lower-case text before splitting (<see cref="TokenizerKind.Words"/> only). Default true.</summary>
        public bool Lowercase { get; init; } = true;

        /// <summary>Put the class token (id 2) first, for [CLS]-style pooling. Default false.</summary>
        public bool PrependClassToken { get; init; }

        /// <summary>The mask column's name after defaults.</summary>
        public string EffectiveMaskColumnName => MaskColumnName ?? OutputColumnName + "Mask";

        internal void Validate()
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(InputColumnName, nameof(InputColumnName));
            ArgumentException.ThrowIfNullOrWhiteSpace(OutputColumnName, nameof(OutputColumnName));
            ArgumentOutOfRangeException.ThrowIfLessThan(MaxLength, 1, nameof(MaxLength));
            ArgumentOutOfRangeException.ThrowIfLessThan(MaxVocabularySize, 1, nameof(MaxVocabularySize));
            ArgumentOutOfRangeException.ThrowIfLessThan(MinFrequency, 1, nameof(MinFrequency));
            if (EffectiveMaskColumnName == OutputColumnName)
                throw new ArgumentException("The mask column needs a name of its own.", nameof(MaskColumnName));
        }
    }

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var column = inputSchema.FirstOrDefault(c => c.Name == _options.InputColumnName);
        if (column.Name is null)
            throw new SchemaException($"Text column '{_options.InputColumnName}' not found. Columns: {string.Join(", ", inputSchema.Select(c => c.Name))}.");
        if (column.ItemType is not TextDataViewType || column.Kind != SchemaShape.Column.VectorKind.Scalar)
            throw new SchemaException($"Column '{_options.InputColumnName}' holds {column.ItemType}; tokenizing needs a text column.");
        // The added columns do not depend on the vocabulary: a transformer with an empty one describes them.
        var probe = new TokenIdTransformer(_options, Array.Empty<string>());
        return SchemaShapes.FromSchema(probe.GetOutputSchema(SchemaShapes.ToSchema(inputSchema)));
    }

    /// <summary>Learns the vocabulary from <paramref name="input"/> (one streaming pass) and returns the transformer.</summary>
    /// <exception cref="SchemaException">The text column is missing or not text, or the data has no rows.</exception>
    public TokenIdTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var column = TokenIdTransformer.TextColumn(input.Schema, _options.InputColumnName);
        var splitter = TokenSplitter.For(_options);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        long rows = 0;
        using (var cursor = input.GetRowCursor(new[] { column }))
        {
            var getter = cursor.GetGetter<ReadOnlyMemory<char>>(column);
            ReadOnlyMemory<char> text = default;
            while (cursor.MoveNext())
            {
                getter(ref text);
                rows++;
                foreach (var token in splitter.Split(text.Span))
                    counts[token] = counts.GetValueOrDefault(token) + 1;
            }
        }
        if (rows == 0)
            throw new SchemaException($"Cannot learn a vocabulary from '{_options.InputColumnName}': the data has no rows.");
        var vocabulary = counts
            .Where(kv => kv.Value >= _options.MinFrequency)
            .OrderByDescending(kv => kv.Value)
            .ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Take(_options.MaxVocabularySize)
            .Select(kv => kv.Key)
            .ToList();
        return new TokenIdTransformer(_options, vocabulary);
    }
}
