using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data;
using MlToolkit.Trainers.Torch.Training;
using MlToolkit.Trainers.Torch.Runtime;

namespace MlToolkit.Trainers.Torch.Scoring;

/// <summary>
/// The ML.NET transformer a torch trainer produces. <see cref="Transform"/> is lazy and scores rows in batches
/// of <see cref="InferenceBatchSize"/>; <see cref="GetRowToRowMapper"/> scores one row at a time for
/// <c>PredictionEngine</c>. Output columns follow ML.NET conventions so the task catalogs' <c>Evaluate</c> works.
/// </summary>
public sealed class TorchPredictionTransformer : ITransformer, IDisposable
{
    /// <summary>Wraps a trained network reading <paramref name="featureColumnName"/>.</summary>
    public TorchPredictionTransformer(TorchNetwork network, string featureColumnName, int inferenceBatchSize = 256, int? threads = null, TrainingSummary? summary = null)
    {
        Network = network ?? throw new ArgumentNullException(nameof(network));
        ArgumentException.ThrowIfNullOrWhiteSpace(featureColumnName);
        ArgumentOutOfRangeException.ThrowIfLessThan(inferenceBatchSize, 1);
        FeatureColumnName = featureColumnName;
        InferenceBatchSize = inferenceBatchSize;
        Threads = threads;
        Summary = summary;
    }

    /// <summary>The trained network.</summary>
    public TorchNetwork Network { get; }

    /// <summary>The task the network predicts.</summary>
    public PredictionTask Task => Network.Head.Task;

    /// <summary>The input feature column.</summary>
    public string FeatureColumnName { get; }

    /// <summary>Rows per forward pass in <see cref="Transform"/>.</summary>
    public int InferenceBatchSize { get; }

    /// <summary>Torch threads used while scoring; null leaves torch's setting alone.</summary>
    public int? Threads { get; }

    /// <summary>How training went (null for a model loaded from a file).</summary>
    public TrainingSummary? Summary { get; }

    /// <inheritdoc/>
    public bool IsRowToRowMapper => true;

    /// <inheritdoc/>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        CheckFeatureColumn(inputSchema);
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(inputSchema);
        foreach (var column in Network.Head.OutputColumns)
            builder.AddColumn(column.Name, column.Type, column.Annotations);
        return builder.ToSchema();
    }

    /// <inheritdoc/>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new TorchScoredDataView(this, input, GetOutputSchema(input.Schema));
    }

    /// <inheritdoc/>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return new TorchRowMapper(this, inputSchema, GetOutputSchema(inputSchema));
    }

    /// <summary>
    /// Not available: ML.NET's <c>ModelSaveContext</c> is internal, so no third-party transformer can be written into an
    /// ML.NET model zip. Save pipelines holding torch transformers with <c>mlContext.Model.SavePipeline</c> instead.
    /// </summary>
    /// <exception cref="NotSupportedException">Always, with the message above.</exception>
    void ICanSaveModel.Save(ModelSaveContext ctx) =>
        throw new NotSupportedException("A torch transformer cannot be written by mlContext.Model.Save (ML.NET keeps its save API internal). Use mlContext.Model.SavePipeline(model, inputSchema, path) from MlToolkit.Models.Persistence, which saves ML.NET and torch parts into one file.");

    internal DataViewSchema.Column CheckFeatureColumn(DataViewSchema schema)
    {
        var column = schema.GetColumnOrNull(FeatureColumnName)
            ?? throw new SchemaException($"Feature column '{FeatureColumnName}' not found. Columns: {string.Join(", ", schema.Select(c => c.Name))}.");
        var size = FeatureSizeOf(column.Type);
        if (size != Network.FeatureSize)
            throw new SchemaException($"Feature column '{FeatureColumnName}' has type {column.Type}; the model needs a vector of {Network.FeatureSize} Single values.");
        return column;
    }

    /// <summary>The number of floats a feature column holds, or -1 when it is not a known-size Single vector or a Single.</summary>
    internal static int FeatureSizeOf(DataViewType type) => type switch
    {
        VectorDataViewType { ItemType: var item, Size: > 0 and var size } when item == NumberDataViewType.Single => size,
        _ when type == NumberDataViewType.Single => 1,
        _ => -1,
    };

    internal void ApplyThreads() => TorchThreads.Apply(Threads);

    /// <inheritdoc/>
    public void Dispose() => Network.Dispose();
}
