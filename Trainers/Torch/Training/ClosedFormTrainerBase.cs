using Microsoft.ML;
using MlToolkit.Data;
using MlToolkit.Trainers.Torch.Architectures;
using MlToolkit.Trainers.Torch.Heads;
using MlToolkit.Trainers.Torch.Runtime;
using MlToolkit.Trainers.Torch.Scoring;
using TorchSharp;
using static TorchSharp.torch;

namespace MlToolkit.Trainers.Torch.Training;

/// <summary>All training rows as tensors, for a trainer that computes its model from them at once.</summary>
/// <param name="Features">[rows, features], Single.</param>
/// <param name="Targets">[rows, outputs], Double: one-hot classes (multiclass), 0/1 (binary), or the label standardized by the head (regression).</param>
/// <param name="Task">The task.</param>
/// <param name="CancellationToken">The options' token, to check between blocks of work.</param>
public sealed record TrainingRows(Tensor Features, Tensor Targets, PredictionTask Task, CancellationToken CancellationToken)
{
    /// <summary>Number of rows.</summary>
    public long Count => Features.shape[0];

    /// <summary>Features per row.</summary>
    public long FeatureSize => Features.shape[1];

    /// <summary>What the network's output means for the head of <see cref="Task"/>.</summary>
    public ClosedFormOutput Output => ClosedFormOutputs.For(Task);
}

/// <summary>A closed-form model: its architecture and the values of its named buffers (and parameters).</summary>
/// <param name="Architecture">Rebuilds the module; registered in <see cref="NetworkArchitectures"/> so that it saves and loads.</param>
/// <param name="State">Values by <c>state_dict</c> name; each is copied into the freshly built module.</param>
public sealed record ClosedFormModel(NetworkArchitecture Architecture, IReadOnlyDictionary<string, Tensor> State);

/// <summary>
/// The machinery of torch trainers that compute their model from all training rows at once instead of by epochs
/// (nearest neighbours, kernel machines): column checks, reading the rows into tensors, the task head, and a
/// <see cref="TorchPredictionTransformer"/> that saves, loads and scores like any torch model. A derived trainer only
/// says how to <see cref="Solve"/>. <c>Fit</c> never modifies the options.
/// </summary>
/// <typeparam name="TOptions">The trainer's options.</typeparam>
public abstract class ClosedFormTrainerBase<TOptions> : IEstimator<TorchPredictionTransformer>
    where TOptions : ClosedFormTrainerOptions
{
    private const int ReadBatchRows = 4096;
    private readonly TOptions _options;

    /// <summary>Validates and snapshots <paramref name="options"/> for <paramref name="task"/>.</summary>
    protected ClosedFormTrainerBase(PredictionTask task, TOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Task = task;
        _options = (TOptions)options.Clone();
    }

    /// <summary>The task this trainer was created for.</summary>
    public PredictionTask Task { get; }

    /// <summary>A copy of the options (changing it does not affect the trainer).</summary>
    public TOptions Settings => (TOptions)_options.Clone();

    /// <summary>Computes the model from <paramref name="rows"/>; tensors it creates are disposed after its state is copied.</summary>
    protected abstract ClosedFormModel Solve(TOptions options, TrainingRows rows);

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) =>
        TrainerColumns.OutputSchema(inputSchema, _options.FeatureColumnName, _options.LabelColumnName, label => PredictionHead.ForLabel(Task, label));

    /// <inheritdoc/>
    /// <exception cref="SchemaException">Missing or mistyped columns, no labelled rows, or a single class.</exception>
    /// <exception cref="OperationCanceledException">The options' cancellation token fired.</exception>
    public TorchPredictionTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        TorchRuntime.EnsureLoaded();
        var options = _options;
        var featureColumn = TrainerColumns.Features(input.Schema, options.FeatureColumnName);
        var labelColumn = TrainerColumns.Label(input.Schema, options.LabelColumnName);
        var featureSize = TorchPredictionTransformer.FeatureSizeOf(featureColumn.Type);
        var head = PredictionHead.ForLabel(Task, labelColumn);
        var (count, distinct) = TrainerColumns.LabelCensus(input, labelColumn, head);
        if (count == 0)
            throw TrainerColumns.NoRows(labelColumn.Name);
        head.CheckDistinctLabels(labelColumn.Name, distinct);
        TorchThreads.Apply(options.Threads);

        var (features, labels) = ReadAll(input, featureColumn, featureSize, labelColumn, head, options.CancellationToken);
        ClosedFormModel solved;
        using (var scope = NewDisposeScope())
        {
            var rows = new TrainingRows(tensor(features, new long[] { labels.Length, featureSize }), Targets(head, labels), Task, options.CancellationToken);
            solved = Solve(options, rows);
            foreach (var value in solved.State.Values)
                value.DetachFromDisposeScope();
        }
        var inputShape = new long[] { featureSize };
        var module = solved.Architecture.Build(inputShape, head.OutputSize);
        try
        {
            Assign(module, solved.State);
        }
        catch
        {
            module.Dispose();
            throw;
        }
        finally
        {
            foreach (var value in solved.State.Values)
                value.Dispose();
        }
        return new TorchPredictionTransformer(new TorchNetwork(module, solved.Architecture, head, inputShape), options.FeatureColumnName, options.InferenceBatchSize, options.Threads);
    }

    private static (float[] Features, float[] Labels) ReadAll(IDataView data, Microsoft.ML.DataViewSchema.Column features, int featureSize,
        Microsoft.ML.DataViewSchema.Column label, PredictionHead head, CancellationToken cancellation)
    {
        var values = new List<float>();
        var labels = new List<float>();
        foreach (var batch in new BatchReader(data, features, featureSize, label, head).Read(ReadBatchRows, null, ReadBatchRows, cancellation))
        {
            values.AddRange(new ArraySegment<float>(batch.Features, 0, batch.Count * featureSize));
            labels.AddRange(new ArraySegment<float>(batch.Labels, 0, batch.Count));
        }
        return (values.ToArray(), labels.ToArray());
    }

    private Tensor Targets(PredictionHead head, float[] labels)
    {
        var values = tensor(labels, ScalarType.Float64).unsqueeze(1);
        return Task switch
        {
            PredictionTask.MulticlassClassification => nn.functional.one_hot(values.squeeze(1).to_type(ScalarType.Int64), head.OutputSize).to_type(ScalarType.Float64),
            PredictionTask.Regression => values.Minus(head.State[0]).DividedBy(head.State[1]),
            _ => values,
        };
    }

    private static void Assign(nn.Module<Tensor, Tensor> module, IReadOnlyDictionary<string, Tensor> state)
    {
        var slots = module.state_dict();
        using var noGrad = no_grad();
        foreach (var (name, value) in state)
        {
            if (!slots.TryGetValue(name, out var slot))
                throw new InvalidOperationException($"The solved state names '{name}', which the module does not have (it has {string.Join(", ", slots.Keys)}).");
            if (!slot.shape.SequenceEqual(value.shape))
                throw new InvalidOperationException($"The solved '{name}' is [{string.Join("×", value.shape)}]; the module's is [{string.Join("×", slot.shape)}].");
            slot.copy_(value);
        }
    }
}
