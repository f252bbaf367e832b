using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data.IO;
using MlToolkit.Pipelines.Persistence;
using MlToolkit.Pipelines.Transforms;

namespace MlToolkit.Pipelines.Text;

/// <summary>
/// Writes fixed-length token ids and an attention mask for a text column with a learned vocabulary (see
/// <see cref="TokenIdEstimator"/>). Unknown tokens map to id 1 and empty texts to all padding; both are counted
/// in <see cref="Counters"/> rather than failing, as documented.
/// </summary>
public sealed class TokenIdTransformer : ColumnAddingTransformer
{
    /// <summary>The persistence kind name.</summary>
    public const string Kind = "token-ids";

    private readonly TokenIdEstimator.Options _options;
    private readonly Dictionary<string, int> _ids;
    private readonly TokenSplitter _splitter;

    internal TokenIdTransformer(TokenIdEstimator.Options options, IReadOnlyList<string> vocabulary)
    {
        _options = options;
        _splitter = TokenSplitter.For(options);
        Vocabulary = vocabulary;
        _ids = new Dictionary<string, int>(vocabulary.Count, StringComparer.Ordinal);
        for (var i = 0; i < vocabulary.Count; i++)
            _ids[vocabulary[i]] = TokenIdEstimator.FirstVocabularyId + i;
    }

    /// <summary>The settings it was fitted with.</summary>
    public TokenIdEstimator.Options Options => _options;

    /// <summary>Vocabulary tokens in id order (id = index + 3); for cl100k, the original token ids as text.</summary>
    public IReadOnlyList<string> Vocabulary { get; }

    /// <summary>Ids in use: padding, unknown, class token and the vocabulary (an embedding needs this many rows).</summary>
    public int IdCount => TokenIdEstimator.FirstVocabularyId + Vocabulary.Count;

    /// <summary>Rows tokenized, rows truncated, empty texts and unknown tokens seen by this transformer so far.</summary>
    public TokenCounters Counters { get; } = new();

    /// <inheritdoc/>
    protected override IReadOnlyList<(string Name, DataViewType Type)> AddedColumns => new (string, DataViewType)[]
    {
        (_options.OutputColumnName, new VectorDataViewType(NumberDataViewType.Single, _options.MaxLength)),
        (_options.EffectiveMaskColumnName, new VectorDataViewType(NumberDataViewType.Single, _options.MaxLength)),
    };

    /// <inheritdoc/>
    protected override IReadOnlyList<DataViewSchema.Column> CheckInput(DataViewSchema inputSchema) =>
        new[] { TextColumn(inputSchema, _options.InputColumnName) };

    internal static DataViewSchema.Column TextColumn(DataViewSchema schema, string name)
    {
        var column = schema.GetColumnOrNull(name)
            ?? throw new SchemaException($"Text column '{name}' not found. Columns: {string.Join(", ", schema.Select(c => c.Name))}.");
        if (column.Type is not TextDataViewType)
            throw new SchemaException($"Column '{name}' holds {column.Type}; tokenizing needs a text column.");
        return column;
    }

    /// <summary>The token an id stands for: a vocabulary entry, or &lt;pad&gt;, &lt;unk&gt;, &lt;cls&gt;.</summary>
    public string TokenOf(int id) => id switch
    {
        TokenIdEstimator.PaddingId => "<pad>",
        TokenIdEstimator.UnknownId => "<unk>",
        TokenIdEstimator.ClassTokenId => "<cls>",
        _ when id - TokenIdEstimator.FirstVocabularyId < Vocabulary.Count => Vocabulary[id - TokenIdEstimator.FirstVocabularyId],
        _ => "<unk>",
    };

    /// <summary>The ids of one text, before padding: what the output column holds, without the padding.</summary>
    public IReadOnlyList<int> Encode(ReadOnlySpan<char> text, out int unknown)
    {
        var ids = new List<int>();
        if (_options.PrependClassToken)
            ids.Add(TokenIdEstimator.ClassTokenId);
        unknown = 0;
        foreach (var token in _splitter.Split(text))
        {
            if (_ids.TryGetValue(token, out var id))
            {
                ids.Add(id);
            }
            else
            {
                ids.Add(TokenIdEstimator.UnknownId);
                unknown++;
            }
        }
        return ids;
    }

    /// <inheritdoc/>
    protected override RowComputation Bind(DataViewRow input, IReadOnlyList<DataViewSchema.Column> inputs) => new Computation(this, input, inputs[0]);

    /// <inheritdoc/>
    public override (string Kind, JsonObject State) SaveState()
    {
        var state = new JsonObject
        {
            ["options"] = System.Text.Json.JsonSerializer.SerializeToNode(_options, ToolkitJson.Compact),
            ["vocabulary"] = new JsonArray(Vocabulary.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray()),
        };
        return (Kind, state);
    }

    /// <summary>Rebuilds a transformer from <see cref="SaveState"/>'s output.</summary>
    public static TokenIdTransformer Load(JsonObject state)
    {
        var options = state["options"].Deserialize<TokenIdEstimator.Options>(ToolkitJson.Compact)
            ?? throw new ModelFormatException("A token-id transformer's state has no options.");
        options.Validate();
        var vocabulary = state["vocabulary"]?.AsArray().Select(v => v?.GetValue<string>() ?? throw new ModelFormatException("A vocabulary entry is null.")).ToList()
            ?? throw new ModelFormatException("A token-id transformer's state has no vocabulary.");
        return new TokenIdTransformer(options, vocabulary);
    }

    private sealed class Computation : RowComputation
    {
        private readonly TokenIdTransformer _parent;
        private readonly ValueGetter<ReadOnlyMemory<char>> _text;
        private readonly float[] _ids;
        private readonly float[] _mask;
        private ReadOnlyMemory<char> _value;

        public Computation(TokenIdTransformer parent, DataViewRow input, DataViewSchema.Column column)
        {
            _parent = parent;
            _text = input.GetGetter<ReadOnlyMemory<char>>(column);
            _ids = new float[parent._options.MaxLength];
            _mask = new float[parent._options.MaxLength];
        }

        public override void Compute()
        {
            _text(ref _value);
            var ids = _parent.Encode(_value.Span, out var unknown);
            Array.Clear(_ids);
            Array.Clear(_mask);
            var length = Math.Min(ids.Count, _ids.Length);
            for (var i = 0; i < length; i++)
            {
                _ids[i] = ids[i];
                _mask[i] = 1;
            }
            _parent.Counters.Record(ids.Count > _ids.Length, _value.Span.IsWhiteSpace(), unknown);
        }

        public override Delegate Getter(int index)
        {
            var source = index == 0 ? _ids : _mask;
            return (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
            {
                var editor = VBufferEditor.Create(ref value, source.Length);
                source.CopyTo(editor.Values);
                value = editor.Commit();
            });
        }
    }
}

/// <summary>Thread-safe counts of what a tokenizer saw: the documented fallbacks, counted.</summary>
public sealed class TokenCounters
{
    private long _rows;
    private long _truncated;
    private long _empty;
    private long _unknownTokens;

    /// <summary>Rows tokenized.</summary>
    public long Rows => Interlocked.Read(ref _rows);

    /// <summary>Rows longer than the maximum length (their tail was dropped).</summary>
    public long TruncatedRows => Interlocked.Read(ref _truncated);

    /// <summary>Rows whose text was empty or blank (all padding).</summary>
    public long EmptyRows => Interlocked.Read(ref _empty);

    /// <summary>Tokens not in the vocabulary (mapped to id 1).</summary>
    public long UnknownTokens => Interlocked.Read(ref _unknownTokens);

    internal void Record(bool truncated, bool empty, int unknown)
    {
        Interlocked.Increment(ref _rows);
        if (truncated)
            Interlocked.Increment(ref _truncated);
        if (empty)
            Interlocked.Increment(ref _empty);
        if (unknown > 0)
            Interlocked.Add(ref _unknownTokens, unknown);
    }
}
