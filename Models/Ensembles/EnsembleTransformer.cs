using System.Text.Json.Nodes;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data;
using MlToolkit.Pipelines.Transforms;

namespace MlToolkit.Models.Ensembles;

/// <summary>
/// A weighted average of fitted models over the same input: class probabilities (multiclass), P(positive) (binary) or
/// values (regression). It adds the columns an ML.NET scorer adds (<c>Score</c>, <c>PredictedLabel</c>,
/// <c>Probability</c>), so it evaluates, saves (<c>SavePipeline</c>, <c>TrainedModel.Save</c>) and serves through
/// <c>PredictionEngine</c> like a single model.
/// </summary>
public sealed class EnsembleTransformer : ColumnAddingTransformer
{
    /// <summary>The kind name it is saved under.</summary>
    public const string Kind = "ensemble";

    private readonly IReadOnlyList<(string Name, DataViewType Type)> _added;

    /// <summary>Averages <paramref name="members"/> with <paramref name="weights"/> (normalized to sum to 1).</summary>
    /// <param name="task">The task every member does.</param>
    /// <param name="members">Fitted models, each adding ML.NET's scorer columns for <paramref name="task"/>.</param>
    /// <param name="weights">One positive weight per member.</param>
    /// <param name="classes">Multiclass: the class names in key order (their count is the score's width); otherwise empty.</param>
    /// <exception cref="ArgumentException">No members, a weight per member missing or not positive, or multiclass without classes.</exception>
    public EnsembleTransformer(PredictionTask task, IReadOnlyList<ITransformer> members, IReadOnlyList<double> weights, IReadOnlyList<string> classes)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(classes);
        if (members.Count == 0 || members.Count != weights.Count)
            throw new ArgumentException($"An ensemble needs at least one member and one weight per member ({members.Count} members, {weights.Count} weights).", nameof(weights));
        if (weights.Any(w => !double.IsFinite(w) || w <= 0))
            throw new ArgumentException("Every ensemble weight must be a finite number greater than 0.", nameof(weights));
        if (task == PredictionTask.MulticlassClassification && classes.Count < 2)
            throw new ArgumentException("A multiclass ensemble needs its class names (at least 2).", nameof(classes));
        Task = task;
        Members = members.ToList();
        var total = weights.Sum();
        Weights = weights.Select(w => w / total).ToList();
        Classes = classes.ToList();
        _added = task switch
        {
            PredictionTask.MulticlassClassification => new (string, DataViewType)[]
                { ("Score", new VectorDataViewType(NumberDataViewType.Single, Classes.Count)), ("PredictedLabel", new KeyDataViewType(typeof(uint), Classes.Count)) },
            PredictionTask.BinaryClassification => new (string, DataViewType)[]
                { ("Score", NumberDataViewType.Single), ("Probability", NumberDataViewType.Single), ("PredictedLabel", BooleanDataViewType.Instance) },
            _ => new (string, DataViewType)[] { ("Score", NumberDataViewType.Single) },
        };
    }

    /// <summary>The task.</summary>
    public PredictionTask Task { get; }

    /// <summary>The members, in order.</summary>
    public IReadOnlyList<ITransformer> Members { get; }

    /// <summary>Each member's weight, summing to 1.</summary>
    public IReadOnlyList<double> Weights { get; }

    /// <summary>Multiclass class names in key order; empty otherwise.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>The column each member's vote is read from.</summary>
    private string VoteColumn => Task == PredictionTask.BinaryClassification ? "Probability" : "Score";

    /// <inheritdoc/>
    protected override IReadOnlyList<(string Name, DataViewType Type)> AddedColumns => _added;

    /// <summary>
    /// The first member's annotations of the same column: the key's values of <c>PredictedLabel</c> in the label's own
    /// type, and the score-column kinds ML.NET's evaluators look for.
    /// </summary>
    protected override DataViewSchema.Annotations? AnnotationsOf(int index, DataViewSchema inputSchema) =>
        Members[0].GetOutputSchema(inputSchema).GetColumnOrNull(_added[index].Name)?.Annotations;

    /// <inheritdoc/>
    protected override IReadOnlyList<DataViewSchema.Column> CheckInput(DataViewSchema inputSchema)
    {
        var needed = new List<DataViewSchema.Column>();
        foreach (var member in Members)
        {
            var mapper = member.GetRowToRowMapper(inputSchema);
            var vote = mapper.OutputSchema.GetColumnOrNull(VoteColumn)
                ?? throw new SchemaException($"An ensemble member adds no '{VoteColumn}' column; every member must be a {Task} model.");
            needed.AddRange(mapper.GetDependencies(new[] { vote }));
        }
        return needed.DistinctBy(c => c.Index).ToList();
    }

    /// <inheritdoc/>
    protected override RowComputation Bind(DataViewRow input, IReadOnlyList<DataViewSchema.Column> inputs) =>
        new Blend(this, Members.Select(member =>
        {
            var mapper = member.GetRowToRowMapper(input.Schema);
            var column = mapper.OutputSchema[VoteColumn];
            return Blend.Reader(mapper.GetRow(input, new[] { column }), column);
        }).ToList());

    /// <summary>
    /// Scores each member over the whole view (their own batched scoring: a torch member scores hundreds of rows per
    /// forward pass) and reads the members' outputs in step with the input; shuffled cursors fall back to row-by-row.
    /// </summary>
    public override IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new LockstepView(this, input, base.Transform(input), Members.Select(m => m.Transform(input)).ToList());
    }

    /// <inheritdoc/>
    public override (string Kind, JsonObject State) SaveState() => (Kind, new JsonObject
    {
        ["task"] = Task.ToString(),
        ["weights"] = new JsonArray(Weights.Select(w => (JsonNode)w).ToArray()),
        ["classes"] = new JsonArray(Classes.Select(c => (JsonNode)c).ToArray()),
    });

    /// <summary>Rebuilds an ensemble from its saved state and its loaded members.</summary>
    /// <exception cref="Pipelines.Persistence.ModelFormatException">The state does not describe an ensemble of these members.</exception>
    public static EnsembleTransformer Load(JsonObject state, IReadOnlyList<ITransformer> members)
    {
        ArgumentNullException.ThrowIfNull(state);
        try
        {
            if (state["task"]?.GetValue<string>() is not { } taskName || state["weights"] is not JsonArray weights || state["classes"] is not JsonArray classes)
                throw new FormatException("it needs task, weights and classes");
            return new EnsembleTransformer(Enum.Parse<PredictionTask>(taskName), members,
                weights.Select(w => w?.GetValue<double>() ?? double.NaN).ToList(), classes.Select(c => c?.GetValue<string>() ?? "").ToList());
        }
        catch (Exception error) when (error is ArgumentException or InvalidOperationException or FormatException)
        {
            throw new Pipelines.Persistence.ModelFormatException($"The ensemble's saved state is invalid: {error.Message}", error);
        }
    }

    /// <summary>The blend of votes read by <paramref name="votes"/>, one reader per member in order.</summary>
    internal RowComputation BlendOf(IReadOnlyList<Func<float[]>> votes) => new Blend(this, votes);

    /// <summary>Reads a member's vote from the current row of <paramref name="row"/>.</summary>
    internal static Func<float[]> VoteReader(DataViewRow row, DataViewSchema.Column column) => Blend.Reader(row, column);

    private sealed class Blend : RowComputation
    {
        private readonly EnsembleTransformer _parent;
        private readonly IReadOnlyList<Func<float[]>> _votes;
        private readonly float[] _average;

        public Blend(EnsembleTransformer parent, IReadOnlyList<Func<float[]>> votes)
        {
            _parent = parent;
            _votes = votes;
            _average = new float[parent.Task == PredictionTask.MulticlassClassification ? parent.Classes.Count : 1];
        }

        /// <summary>Reads a member's vote (a vector or a single value) from the current row of <paramref name="row"/>.</summary>
        public static Func<float[]> Reader(DataViewRow row, DataViewSchema.Column column)
        {
            if (column.Type is VectorDataViewType)
            {
                var getter = row.GetGetter<VBuffer<float>>(column);
                VBuffer<float> buffer = default;
                var dense = Array.Empty<float>();
                return () =>
                {
                    getter(ref buffer);
                    if (dense.Length != buffer.Length)
                        dense = new float[buffer.Length];
                    buffer.CopyTo(dense);
                    return dense;
                };
            }
            var scalar = row.GetGetter<float>(column);
            var single = new float[1];
            return () =>
            {
                scalar(ref single[0]);
                return single;
            };
        }

        public override void Compute()
        {
            Array.Clear(_average);
            for (var m = 0; m < _votes.Count; m++)
            {
                var vote = _votes[m]();
                var weight = (float)_parent.Weights[m];
                for (var i = 0; i < _average.Length; i++)
                    _average[i] += weight * vote[i];
            }
        }

        public override Delegate Getter(int index) => (_parent.Task, index) switch
        {
            (PredictionTask.MulticlassClassification, 0) => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> v) => new VBuffer<float>(_average.Length, (float[])_average.Clone()).CopyTo(ref v)),
            (PredictionTask.MulticlassClassification, _) => (ValueGetter<uint>)((ref uint v) => v = (uint)(Array.IndexOf(_average, _average.Max()) + 1)),
            (PredictionTask.BinaryClassification, 0) => (ValueGetter<float>)((ref float v) => v = Logit(_average[0])),
            (PredictionTask.BinaryClassification, 1) => (ValueGetter<float>)((ref float v) => v = _average[0]),
            (PredictionTask.BinaryClassification, _) => (ValueGetter<bool>)((ref bool v) => v = _average[0] > 0.5f),
            _ => (ValueGetter<float>)((ref float v) => v = _average[0]),
        };

        private static float Logit(float p)
        {
            var clamped = Math.Clamp(p, 1e-7f, 1 - 1e-7f);
            return MathF.Log(clamped / (1 - clamped));
        }
    }
}
