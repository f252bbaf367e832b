using Microsoft.ML;
using MlToolkit.Data;
using MlToolkit.Experiments.Tuning.SearchSpaces;
using MlToolkit.Pipelines.Featurization;
using MlToolkit.Trainers.Torch.Mlp;

namespace MlToolkit.Experiments.Candidates;

/// <summary>
/// The TorchSharp multilayer perceptron: width, depth and dropout on top of the shared optimization space. It reads at
/// most <see cref="MaximumFeatures"/> features: wider vectors (TF-IDF n-grams) are cut to those with the most mutual
/// information with the label.
/// </summary>
public sealed class MlpCandidate : TrialCandidate
{
    /// <summary>
    /// Features the network reads at most. Its first layer reads every slot densely: on the 2,000-review IMDB sample
    /// (213,000 TF-IDF slots) one trial took 81 s and scored 0.8600 on the holdout; cut to 20,000 slots, 16–21 s and 0.8750
    /// (TF-IDF + L-BFGS on all slots: 0.8600).
    /// </summary>
    public const int MaximumFeatures = 20_000;

    /// <summary>
    /// Below this many training rows the network trains on one thread: its layers are too narrow for two threads to
    /// share a step's work. Three to six configurations in 5-fold CV (a holdout on shuttle) on the first outer fold of
    /// benchmark tables, 2 cores: one thread took 1.5–2.0× less time on boston_housing, pima_diabetes, digits, cells,
    /// hpc_jobs, lending_club and shuttle (323–37,120 rows per fit), with the same best score on all but cells (0.8161
    /// on one thread, 0.8111 on two). Text keeps its threads: on the IMDB sample's 20,000 TF-IDF features two threads
    /// were 1.3× faster.
    /// </summary>
    public const int SingleThreadBelowRows = 50_000;

    /// <inheritdoc/>
    public override string Name => "mlp";

    /// <inheritdoc/>
    public override bool TrainsWithTorch => true;

    /// <inheritdoc/>
    public override string Description => "multilayer perceptron (TorchSharp)";

    /// <inheritdoc/>
    public override bool NeedsNormalizedFeatures => true;

    /// <inheritdoc/>
    public override SearchSpace SearchSpace(PredictionTask task) => new SearchSpace()
        .Optimization(minEpochs: 5, maxEpochs: 100, defaultEpochs: 10, defaultLearningRate: 1e-3)
        .Int("width", 16, 512, log: true, defaultValue: 64)
        .Int("depth", 1, 3, defaultValue: 1)
        .Float("dropout", 0, 0.5, defaultValue: 0.1);

    /// <summary>A single run trains two layers (256, 128) for 30 epochs with dropout 0.2; AutoML starts from one small layer and 10 epochs.</summary>
    public override ParameterSet Defaults(PredictionTask task) => SearchSpace(task).Defaults(new Dictionary<string, ParameterValue>
    {
        ["epochs"] = 30, ["width"] = 256, ["depth"] = 2, ["dropout"] = 0.2,
    });

    /// <summary>
    /// The single-run configuration (two layers, 30 epochs), which converges on small tables; too slow to start with on
    /// large ones and on text (20,000 TF-IDF slots into 256 units for 30 epochs), where the tuner starts from one small layer.
    /// </summary>
    public override IReadOnlyList<StrongStart> StrongStarts(PredictionTask task, DataShape data) =>
        data.Rows <= 20_000 && data.Modality == DataModality.Tabular ? new[] { new StrongStart(Defaults(task).Values, 10) } : Array.Empty<StrongStart>();

    /// <inheritdoc/>
    public override IEstimator<ITransformer> CreateTrainer(MLContext mlContext, PredictionTask task, ParameterSet parameters, CandidateContext context)
    {
        CheckCreate(mlContext, task, parameters, context);
        var width = parameters.GetInt("width");
        var options = TorchCandidateSupport.Apply(new MlpTrainer.Options
        {
            // Each layer half as wide as the one before: the usual funnel.
            HiddenLayers = Enumerable.Range(0, parameters.GetInt("depth")).Select(i => Math.Max(8, width >> i)).ToArray(),
            Dropout = parameters.GetDouble("dropout"),
        }, parameters, context);
        options.Threads = context.ThreadsOnTablesWithOneBelow(SingleThreadBelowRows);
        return new MutualInformationFeatureCap(mlContext, new MlpTrainer(task, options), MaximumFeatures);
    }
}
