using MlToolkit.Data.IO;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data;
using MlToolkit.Data.Delimited;
using MlToolkit.Pipelines.Persistence;
using MlToolkit.Models.Persistence;

namespace MlToolkit.Models;

/// <summary>
/// A trained supervised model: the scoring pipeline (featurization and trainer, which needs no label), the label
/// encoding used to evaluate it, and what it was trained on. Saves to and loads from one file. As an
/// <see cref="ITransformer"/> it scores like ML.NET's models, with <c>PredictedLabel</c> holding the label's own values
/// (the class names, not key indices), so <c>mlContext.Model.CreatePredictionEngine&lt;TIn, TOut&gt;(model)</c> works
/// with a string <c>PredictedLabel</c>, as with ML.NET AutoML's best model.
/// </summary>
public sealed class TrainedModel : ITransformer
{
    private const string ScorerPrefix = "scorer/";
    private const string LabelPart = "label/encoder.zip";

    /// <summary>Creates a model description around fitted transformers.</summary>
    public TrainedModel(ModelDescription description, DataViewSchema inputSchema, ITransformer labelEncoder, ITransformer scorer)
    {
        Description = description ?? throw new ArgumentNullException(nameof(description));
        InputSchema = inputSchema ?? throw new ArgumentNullException(nameof(inputSchema));
        LabelEncoder = labelEncoder ?? throw new ArgumentNullException(nameof(labelEncoder));
        Scorer = scorer ?? throw new ArgumentNullException(nameof(scorer));
        _predictor = new Lazy<ITransformer>(() => Scorer.Append(PredictedLabelDecoder.Fit(Description, Scorer, InputSchema)));
    }

    private readonly Lazy<ITransformer> _predictor;

    /// <summary>Task, label, classes, trainer and input columns.</summary>
    public ModelDescription Description { get; }

    /// <summary>The schema of the raw data the model was trained on (label included).</summary>
    public DataViewSchema InputSchema { get; }

    /// <summary>Maps the raw label column to the encoded <c>Label</c> column (needed only to evaluate).</summary>
    public ITransformer LabelEncoder { get; }

    /// <summary>Featurization and the trained predictor: adds <c>Score</c>, <c>PredictedLabel</c> (and <c>Probability</c> for binary).</summary>
    public ITransformer Scorer { get; }

    /// <summary>Scores <paramref name="data"/> with ML.NET's standard columns (a key <c>PredictedLabel</c>, for its evaluators); the label column is not needed.</summary>
    public IDataView Score(IDataView data) => Scorer.Transform(data);

    /// <inheritdoc/>
    public bool IsRowToRowMapper => _predictor.Value.IsRowToRowMapper;

    /// <inheritdoc/>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => _predictor.Value.GetOutputSchema(inputSchema);

    /// <inheritdoc/>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => _predictor.Value.GetRowToRowMapper(inputSchema);

    /// <summary>Scores <paramref name="input"/>: <c>Score</c> (and <c>Probability</c>) as ML.NET gives them, <c>PredictedLabel</c> as the label's own values.</summary>
    public IDataView Transform(IDataView input) => _predictor.Value.Transform(input);

    void ICanSaveModel.Save(ModelSaveContext ctx) =>
        throw new NotSupportedException("ML.NET's model format cannot hold MlToolkit models; save with model.Save(mlContext, path) and load with TrainedModel.Load (or mlContext.Model.LoadPipeline).");

    /// <summary>True when this model came from a pipeline file (<c>SavePipeline</c>), which says nothing of how its label was encoded.</summary>
    public bool IsPipeline => LabelEncoder is TransformerChain<ITransformer> { } chain && !chain.Any();

    /// <summary>Saves the model to <paramref name="path"/> atomically (an existing file is replaced only once the new one is complete).</summary>
    public void Save(MLContext mlContext, string path)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        var (scorer, parts) = PipelineParts.Write(mlContext.Model, Scorer, InputSchema, ScorerPrefix);
        parts[LabelPart] = stream => mlContext.Model.Save(LabelEncoder, InputSchema, stream);
        var body = new JsonObject
        {
            ["description"] = JsonSerializer.SerializeToNode(Description, ToolkitJson.Indented),
            ["scorer"] = scorer,
        };
        ModelArchive.Write(path, body, parts);
    }

    /// <summary>
    /// Loads a model saved by <see cref="Save"/>, <c>mltoolkit train</c> or AutoML, or a pipeline saved with
    /// <c>SavePipeline</c>, verifying its checksums first. A pipeline's task and classes are read from its output
    /// columns; it is evaluated on <paramref name="labelColumn"/> as it encodes it (ML.NET's convention: the pipeline
    /// maps its raw label to <c>Label</c>, or the data holds <c>Label</c> ready for the evaluator).
    /// </summary>
    /// <exception cref="ModelFormatException">The file is missing, damaged or not a model.</exception>
    public static TrainedModel Load(MLContext mlContext, string path, string labelColumn = "Label")
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentException.ThrowIfNullOrWhiteSpace(labelColumn);
        var archive = ModelArchive.Read(path);
        if (archive.Body[PipelineCatalogExtensions.PipelineSection] is JsonObject pipeline)
        {
            var scorer = PipelineParts.Read(mlContext.Model, pipeline, archive, out var inputSchema);
            return FromPipeline(scorer, inputSchema, labelColumn, archive.Path);
        }
        return Load(archive, mlContext);
    }

    /// <summary>
    /// A fitted ML.NET pipeline as a model: its task and classes read from its output columns (see <see cref="Load(MLContext, string, string)"/>),
    /// evaluated on the <c>Label</c> column it makes or the data holds.
    /// </summary>
    /// <exception cref="ModelFormatException">The pipeline adds no <c>Score</c> column.</exception>
    public static TrainedModel FromPipeline(ITransformer pipeline, DataViewSchema inputSchema, string labelColumn = "Label", string source = "the pipeline")
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(inputSchema);
        var description = PipelineDescription.Infer(pipeline, inputSchema, labelColumn, source);
        return new TrainedModel(description, inputSchema, new TransformerChain<ITransformer>(), pipeline);
    }

    internal static TrainedModel Load(LoadedArchive archive, MLContext mlContext)
    {
        var path = archive.Path;
        ModelDescription description;
        try
        {
            description = archive.Body["description"].Deserialize<ModelDescription>(ToolkitJson.Indented)
                ?? throw new ModelFormatException($"{path}: not a trained model (no model description; was it saved with SavePipeline? Load it with mlContext.Model.LoadPipeline)");
        }
        catch (JsonException e)
        {
            throw new ModelFormatException($"{path}: the manifest's model description is invalid: {e.Message}", e);
        }
        var scorerManifest = archive.Body["scorer"] as JsonObject ?? throw new ModelFormatException($"{path}: the model has no scorer section");
        var scorer = PipelineParts.Read(mlContext.Model, scorerManifest, archive, out var inputSchema);
        using var label = archive.OpenPart(LabelPart);
        try
        {
            return new TrainedModel(description, inputSchema, mlContext.Model.Load(label, out _), scorer);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or InvalidDataException)
        {
            throw new ModelFormatException($"{path}: the ML.NET pipeline inside cannot be loaded: {e.Message}", e);
        }
    }
}

/// <summary>What a model was trained for and on; stored in the model file's manifest.</summary>
/// <param name="Task">The prediction task.</param>
/// <param name="LabelColumn">The raw label column in the input data.</param>
/// <param name="Classes">The label's classes, sorted (empty for regression).</param>
/// <param name="PositiveClass">For binary classification, the class scored as <c>true</c>.</param>
/// <param name="Trainer">The trainer's name.</param>
/// <param name="InputColumns">The delimited-file columns the model reads, with their kinds (empty for image data).</param>
/// <param name="ImagePathColumns">Columns of image file paths, checked before scoring.</param>
/// <param name="KnownCategories">Per one-hot-encoded column, the values seen in training; others encode as all zeros and are counted at evaluation.</param>
/// <param name="IdentifierColumns">Columns of the training data left out as identifiers; predictions copy them from the scored file.</param>
public sealed record ModelDescription(
    PredictionTask Task,
    string LabelColumn,
    IReadOnlyList<string> Classes,
    string? PositiveClass,
    string Trainer,
    IReadOnlyList<DelimitedColumn> InputColumns,
    IReadOnlyList<string>? ImagePathColumns = null,
    IReadOnlyDictionary<string, IReadOnlyList<string>>? KnownCategories = null,
    IReadOnlyList<string>? IdentifierColumns = null)
{
}
