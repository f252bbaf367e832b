using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data;
using MlToolkit.Data.Splits;
using MlToolkit.Experiments.AutoMl;
using MlToolkit.Experiments.Tuning;
using MlToolkit.Models;
using MlToolkit.Models.Ensembles;
using MlToolkit.Models.Evaluation;

namespace MlToolkit.Experiments.Ensembles;

/// <summary>
/// After a search: selects an ensemble
/// (<see cref="EnsembleSelection.SelectBagged(IReadOnlyList{EnsembleCandidate}, OutOfFoldMetric, int, int, int, int)"/>,
/// or a single greedy selection when the bagged blend does not beat the best single trial) from the stored out-of-fold
/// predictions of the best completed trials and, when it beats the best single trial on them (on the Brier score for
/// accuracy-like metrics), refits its members on all rows and combines them into one <see cref="TrainedModel"/>.
/// </summary>
internal sealed class EnsembleBuilder
{
    /// <summary>Trials considered, best first.</summary>
    public const int Candidates = 20;

    /// <summary>
    /// The best trials of each trainer considered as well, when the overall best <see cref="Candidates"/> leave them out:
    /// a search that spends its trials on one family fills the pool with near-copies of it, and a blend of near-copies
    /// cannot average away their shared mistakes (pima_diabetes, one outer fold: 17 of the best 20 were FastTree and
    /// LightGBM, no forest, kernel machine or MLP).
    /// </summary>
    public const int PerTrainer = 2;

    /// <summary>Rounds of greedy selection.</summary>
    public const int Rounds = 25;

    /// <summary>Bags of the bagged selection, each over a random half of the candidates (Caruana et al. used 20).</summary>
    public const int Bags = 20;

    /// <summary>
    /// Members of the bagged blend below this weight (one pick of <see cref="Rounds"/>) are left out: each costs a refit
    /// and its share of scoring time for little effect. Replayed on identical trials (seven tasks, bench/README.md), the
    /// blend without them scored higher than with them on four tasks (attrition 0.8844 against 0.8810, vehicle 0.8286
    /// against 0.8262), level on two and lower on pima_diabetes (0.7670 against 0.7696).
    /// </summary>
    public const double LeastWeight = 1.0 / Rounds;

    // Fixed, so that selecting again from the same trials (a resumed study) gives the same blend.
    private const int BagSeed = 1;

    private readonly PredictionTask _task;
    private readonly MetricDefinition _metric;
    private readonly IReadOnlyList<DataSplit> _folds;
    private readonly double? _baselineValue;
    private Judging? _judging;
    private IReadOnlyDictionary<int, double> _selected = new Dictionary<int, double>();
    private bool _belowBaseline;

    /// <summary>
    /// A builder for trials cross-validated on <paramref name="folds"/>; with <paramref name="baselineValue"/> (the constant
    /// predictor's metric out of fold, <see cref="AutoMl.BaselineSummary"/>), a blend must also beat that: the Brier score
    /// that guides accuracy can prefer a blend that is better calibrated but right on fewer rows than always predicting
    /// the common class (lending_club, one outer fold: 0.9470 out of fold against 0.9475).
    /// </summary>
    public EnsembleBuilder(PredictionTask task, MetricDefinition metric, IReadOnlyList<DataSplit> folds, double? baselineValue = null) =>
        (_task, _metric, _folds, _baselineValue) = (task, metric, folds, baselineValue);

    /// <summary>
    /// The selected blend, or null when none beats the best single trial (or the metric or the stored predictions do
    /// not allow one); <paramref name="whyNot"/> then says which, for the user.
    /// </summary>
    public EnsembleSummary? Select(IReadOnlyList<TrialRecord> trials, out string? whyNot)
    {
        whyNot = null;
        if (!OutOfFoldMetric.Supports(_task, _metric.Name))
        {
            whyNot = $"ensembles are not selected on {_metric.Name}";
            return null;
        }
        var ranked = Pool(trials, _metric.Maximize).Select(t => (Trial: t, Stored: OutOfFoldPredictions.FromDiagnostics(t.Diagnostics)))
            .Where(c => c.Stored is not null).ToList();
        if (ranked.Count < 2)
        {
            whyNot = "fewer than two complete trials stored out-of-fold predictions";
            return null;
        }
        var labels = FoldLabels.Validation(_task, _folds);
        var width = ranked[0].Stored!.Value.Width;
        var usable = ranked.Where(c => c.Stored!.Value.Width == width && c.Stored.Value.Values.Length == labels.Length * width)
            .Select(c => new EnsembleCandidate(c.Trial.Number, c.Stored!.Value.Values)).ToList();
        if (usable.Count < 2)
        {
            whyNot = "fewer than two complete trials stored out-of-fold predictions of the same shape";
            return null;
        }
        var metric = new OutOfFoldMetric(_task, _metric.Name, labels);
        // Accuracy and F1 move in whole rows, so most additions tie and greedy selection stalls at the best single model;
        // the blend is grown on the Brier score, which every better probability lowers. Not on log-loss: it punishes the
        // confident mistakes of forests and kernel ridge so hard that the blend leans on the calibrated linear model
        // even where it is less accurate (vehicle, outer loop: 0.8073 grown on log-loss, 0.8286 on Brier).
        var guide = _task != PredictionTask.Regression && _metric.Name is "accuracy" or "macro_accuracy" or "f1"
            ? new OutOfFoldMetric(_task, OutOfFoldMetric.Brier, labels) : metric;
        var selection = EnsembleSelection.Select(usable, guide, width, Rounds);
        _judging = new Judging(usable, metric, guide, width, selection.BestSingleLoss,
            usable.Min(c => metric.Loss(c.Values.Select(v => (double)v).ToArray(), width)));
        // The bagged blend first: on the out-of-fold rows a single greedy selection fits the noise of its 20 or more candidates,
        // and its lead there shrinks or turns on unseen rows. When averaging the bags smooths the blend so much that it no
        // longer beats the best single trial (glass, two of five outer folds), the single selection's blend is next.
        var bagged = EnsembleSelection.SelectBagged(usable, guide, width, Rounds, Bags, BagSeed).Where(p => p.Value >= LeastWeight)
            .ToDictionary(p => p.Key, p => p.Value);
        _selected = bagged;
        if (Judge(_judging, bagged) is { } summary)
            return summary;
        _selected = selection.Weights;
        if (Judge(_judging, _selected) is not { } single)
        {
            whyNot = _belowBaseline
                ? string.Create(CultureInfo.InvariantCulture, $"the blend of the {usable.Count} candidate trials does not beat the constant baseline's out-of-fold {_metric.Name} ({_baselineValue:0.0000})")
                : $"no blend of the {usable.Count} candidate trials (the best overall and of each trainer) beat the best single one "
                + $"on their out-of-fold {guide.Name}";
            return null;
        }
        return single;
    }

    /// <summary>
    /// The trials a blend is selected from, best first: the best <see cref="Candidates"/> complete trials with a finite
    /// value, and the best <see cref="PerTrainer"/> of each trainer among the rest.
    /// </summary>
    public static IReadOnlyList<TrialRecord> Pool(IEnumerable<TrialRecord> trials, bool maximize)
    {
        ArgumentNullException.ThrowIfNull(trials);
        var ranked = trials.Where(t => t.State == TrialState.Complete && t.Value is { } v && double.IsFinite(v))
            .OrderBy(t => maximize ? -t.Value!.Value : t.Value!.Value).ThenBy(t => t.Number).ToList();
        var perTrainer = ranked.GroupBy(TrialConfiguration.Of).SelectMany(g => g.Take(PerTrainer)).Select(t => t.Number).ToHashSet();
        return ranked.Where((t, rank) => rank < Candidates || perTrainer.Contains(t.Number)).ToList();
    }

    /// <summary>
    /// The blend <see cref="Select"/> chose, cut down to the members in <paramref name="available"/> (those refit in
    /// time), weights renormalized, if it still beats the best single trial on the out-of-fold predictions; otherwise null.
    /// </summary>
    public EnsembleSummary? Restrict(IReadOnlyCollection<int> available)
    {
        ArgumentNullException.ThrowIfNull(available);
        if (_judging is null)
            throw new InvalidOperationException("Restrict a blend this builder selected.");
        return Judge(_judging, _selected.Where(p => available.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value));
    }

    /// <summary>
    /// The blend <paramref name="weights"/> describes, when it has two members or more and beats the best single trial on
    /// the guide. On accuracy-like metrics that is the Brier score: a proper score of every row, whereas the best single
    /// trial's lead in accuracy is a few rows of luck among many trials (on pima_diabetes a search's winner scored 0.788
    /// out of fold and 0.714 held out, where one default logistic regression scored 0.762). And, when the builder has a
    /// baseline, when it beats the constant predictor on the metric itself.
    /// </summary>
    private EnsembleSummary? Judge(Judging judging, IReadOnlyDictionary<int, double> weights)
    {
        _belowBaseline = false;
        if (weights.Count < 2)
            return null;
        var blend = EnsembleSelection.Average(judging.Usable, weights);
        var guideLoss = judging.Guide.Loss(blend, judging.Width);
        if (guideLoss >= judging.BestSingleGuideLoss)
            return null;
        var loss = judging.Metric.Loss(blend, judging.Width);
        // The metric's loss is its negation when higher is better, so ToMetric maps the baseline's value to its loss too.
        _belowBaseline = _baselineValue is { } baseline && loss >= ToMetric(baseline);
        if (_belowBaseline)
            return null;
        var total = weights.Values.Sum();
        var judgedOn = judging.Guide.Name == judging.Metric.Name ? null : new JudgedScore(judging.Guide.Name, guideLoss, judging.BestSingleGuideLoss);
        return new EnsembleSummary(weights.ToDictionary(p => p.Key, p => p.Value / total), ToMetric(loss), ToMetric(judging.BestSingleMetricLoss), judgedOn);
    }

    /// <summary>One model averaging <paramref name="members"/> (refit on all rows) with the selected weights.</summary>
    public static TrainedModel Combine(EnsembleSummary ensemble, IReadOnlyDictionary<int, TrainedModel> members, PredictionTask task, DataViewSchema encodedSchema)
    {
        var first = members[ensemble.Weights.Keys.First()];
        var classes = task == PredictionTask.MulticlassClassification ? first.Description.Classes : Array.Empty<string>();
        var scorer = new EnsembleTransformer(task, ensemble.Weights.Keys.Select(n => members[n].Scorer).ToList(), ensemble.Weights.Values.ToList(), classes);
        var description = first.Description with { Trainer = "ensemble" };
        return new TrainedModel(description, first.InputSchema, first.LabelEncoder, scorer);
    }

    private double ToMetric(double loss) => _metric.Maximize ? -loss : loss;

    /// <summary>What a blend is judged with: the candidates, the metric, the guide and the best single candidate's losses on both.</summary>
    private sealed record Judging(IReadOnlyList<EnsembleCandidate> Usable, OutOfFoldMetric Metric, OutOfFoldMetric Guide, int Width, double BestSingleGuideLoss, double BestSingleMetricLoss);
}
