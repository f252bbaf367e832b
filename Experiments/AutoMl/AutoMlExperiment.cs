using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Runtime;
using MlToolkit.Data;
using MlToolkit.Data.IO;
using MlToolkit.Data.Splits;
using MlToolkit.Experiments.Candidates;
using MlToolkit.Experiments.Ensembles;
using MlToolkit.Experiments.Running;
using MlToolkit.Experiments.Running.Workers;
using MlToolkit.Experiments.Storage;
using MlToolkit.Experiments.Tuning;
using MlToolkit.Experiments.Tuning.Pruners;
using MlToolkit.Experiments.Tuning.SearchSpaces;
using MlToolkit.Experiments.Tuning.Tuners;
using MlToolkit.Pipelines.Featurization;
using MlToolkit.Pipelines.Images;
using MlToolkit.Models.Evaluation;
using MlToolkit.Models;
using MlToolkit.Experiments.Training;
using MlToolkit.Trainers.Torch.Runtime;

namespace MlToolkit.Experiments.AutoMl;

/// <summary>
/// An AutoML experiment over one dataset: which trainers, which metric, which tuner, how trials are evaluated and
/// what budgets hold. Configure it with the <c>Set…</c> methods (or <see cref="Options"/>), then <see cref="Run"/>.
/// Each run opens the storage, resumes what is stored there, searches, refits the best configuration on all the
/// training data and evaluates it on the test data if given.
/// </summary>
public sealed class AutoMlExperiment
{
    /// <summary>
    /// Seconds the first refits in this process take beyond the trials' own fits when the trials ran in worker
    /// processes (loading libtorch and LightGBM, JIT): measured 1–2 s on attrition and digits, 3.1 s on
    /// pima_diabetes. 3 s, tried on six benchmark tasks, neither raised the scores nor shortened the longest folds.
    /// </summary>
    private const double ColdStartSeconds = 2;

    /// <summary>
    /// Seconds the ensemble's selection takes before its members' refits start (loading the trials' out-of-fold
    /// predictions, 20 bagged greedy selections): measured 0.3–0.4 s on concrete and hpc_jobs, 1.4 s on shuttle's
    /// 11,600-row holdout; since the selection's squared-error shortcut, 0.3–0.5 s on shuttle and 0.2–0.4 s on soybean with
    /// two repeats (1.0 s before).
    /// </summary>
    private const double SelectionSeconds = 0.5;

    // The refit's finite-score check scores this many training rows at most. The trials already checked every row they
    // scored; the refit's check is there to catch a model that diverged on all rows, which a spread sample shows just as
    // well. Scoring all of them cost a nearest-neighbours refit on 46,000 rows 10 s past a 30 s budget (its work grows
    // with rows squared, and its trial scored a fifth of them).
    private const int RefitCheckRows = 5_000;

    private readonly MLContext _mlContext;
    private readonly IDataView _data;
    private readonly string _labelColumn;
    private readonly List<IReadOnlyDictionary<string, ParameterValue>> _enqueued = new();
    private IDataView? _testData;

    internal AutoMlExperiment(MLContext mlContext, IDataView data, string labelColumn)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentException.ThrowIfNullOrWhiteSpace(labelColumn);
        _mlContext = mlContext;
        _data = data;
        // The context's random source is internal to ML.NET; a host registered on it draws from it.
        Options.Seed = ((IHostEnvironment)mlContext).Register("MlToolkit.AutoML").Rand.Next();
        _labelColumn = labelColumn;
    }

    /// <summary>All settings; the <c>Set…</c> methods write here.</summary>
    public AutoMlOptions Options { get; } = new();

    /// <summary>Sets the task (otherwise inferred from the label).</summary>
    public AutoMlExperiment SetTask(PredictionTask task) => With(o => o.Task = task);

    /// <summary>Sweeps only these trainers (see <c>CandidateCatalog</c>), tried cheapest first in this order.</summary>
    public AutoMlExperiment SetTrainers(params string[] trainers) => With(o => o.Trainers = trainers.Select(t => CandidateCatalog.Get(t).Name).ToArray());

    /// <summary>Sweeps exactly these candidates (built-in or your own <see cref="TrialCandidate"/>s, which are registered by name).</summary>
    public AutoMlExperiment SetTrainers(params TrialCandidate[] trainers)
    {
        ArgumentNullException.ThrowIfNull(trainers);
        foreach (var trainer in trainers)
            CandidateCatalog.Register(trainer);
        return With(o => o.Trainers = trainers.Select(t => t.Name).ToArray());
    }

    /// <summary>Adds <paramref name="trainer"/> to the trainers swept (to the task's defaults, known at <see cref="Run"/>, when none were set).</summary>
    public AutoMlExperiment AddTrainer(TrialCandidate trainer)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        CandidateCatalog.Register(trainer);
        return With(o => o.AddedTrainers = o.AddedTrainers.Append(trainer.Name).Distinct(StringComparer.OrdinalIgnoreCase).ToArray());
    }

    /// <summary>Featurizes with <paramref name="featurizer"/>, an estimator of your own that writes <c>Features</c>, for every trainer (min-max scaled for those that need it).</summary>
    public AutoMlExperiment SetFeaturizer(IEstimator<ITransformer> featurizer) => With(o => o.Features = new EstimatorFeaturePlan(featurizer));

    /// <summary>Uses your own tuner, built from the search space and the seed (it must depend only on them and the reports it gets).</summary>
    public AutoMlExperiment SetTuner(Func<SearchSpace, int, ITuner> createTuner)
    {
        ArgumentNullException.ThrowIfNull(createTuner);
        return With(o => o.TunerFactory = createTuner);
    }

    /// <summary>Stores trials in <paramref name="store"/> (e.g. your own <see cref="IExperimentStore"/>); you keep ownership of it.</summary>
    public AutoMlExperiment SetStorage(IExperimentStore store, string studyName = "default")
    {
        ArgumentNullException.ThrowIfNull(store);
        return With(o => { o.Store = store; o.StoragePath = null; o.StudyName = studyName; });
    }

    /// <summary>Says what columns are (categorical, text, numeric, image path) or which to ignore, overriding inference.</summary>
    public AutoMlExperiment SetColumnInformation(ColumnInformation columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        return With(o => o.ColumnInformation = columns);
    }

    /// <summary>Optimizes this metric (see <see cref="MetricDefinition.For"/>).</summary>
    public AutoMlExperiment SetMetric(string metric) => With(o => o.Metric = metric);

    /// <summary>Uses this tuner.</summary>
    public AutoMlExperiment SetTuner(TunerKind tuner) => With(o => o.Tuner = tuner);

    /// <summary>Evaluates each trial by <paramref name="folds"/>-fold cross-validation (1 = holdout).</summary>
    public AutoMlExperiment SetCrossValidation(int folds) => With(o => o.Folds = folds);

    /// <summary>Evaluates each trial on a holdout of <paramref name="fraction"/> of the data.</summary>
    public AutoMlExperiment SetHoldout(double fraction) => With(o => { o.Folds = 1; o.HoldoutFraction = fraction; });

    /// <summary>Stops the search (refit included) after <paramref name="budget"/>; running trials are cancelled at the deadline.</summary>
    public AutoMlExperiment SetTrainingTime(TimeSpan? budget) => With(o => o.TrainingTime = budget);

    /// <summary>Stops after this many finished trials.</summary>
    public AutoMlExperiment SetMaxTrials(int? trials) => With(o => o.MaxTrials = trials);

    /// <summary>Runs this many trials at once, splitting <paramref name="threads"/> between them.</summary>
    public AutoMlExperiment SetParallelTrials(int trials, int? threads = null) => With(o => { o.ParallelTrials = trials; o.Threads = threads ?? o.Threads; });

    /// <summary>Prunes torch trials with <paramref name="pruner"/>.</summary>
    public AutoMlExperiment SetPruner(IPruner? pruner) => With(o => o.Pruner = pruner);

    /// <summary>
    /// Persists trials to an SQLite file, or to the PostgreSQL database a connection string names
    /// (<c>postgresql://user@host:port/db</c>), and resumes from it; other processes may run the same study at once.
    /// </summary>
    public AutoMlExperiment SetStorage(string? path, string studyName = "default") => With(o => { o.StoragePath = path; o.StudyName = studyName; });

    /// <summary>Seeds the tuner, the folds and the trainers.</summary>
    public AutoMlExperiment SetSeed(int seed) => With(o => o.Seed = seed);

    /// <summary>Evaluates the refit best model on <paramref name="testData"/>.</summary>
    public AutoMlExperiment SetTestData(IDataView? testData)
    {
        _testData = testData;
        return this;
    }

    /// <summary>Reports progress events to <paramref name="progress"/>.</summary>
    public AutoMlExperiment SetProgress(IProgress<ExperimentEvent>? progress) => With(o => o.Progress = progress);

    /// <summary>Evaluates this configuration first (e.g. a known good one): trainer name and the trainer's own hyperparameters.</summary>
    public AutoMlExperiment Enqueue(string trainer, IReadOnlyDictionary<string, ParameterValue> hyperparameters)
    {
        ArgumentNullException.ThrowIfNull(hyperparameters);
        var candidate = CandidateCatalog.Get(trainer);
        _enqueued.Add(StrongStartPortfolio.Scoped(candidate, hyperparameters));
        return this;
    }

    /// <summary>Runs the experiment; <paramref name="cancellationToken"/> stops it within seconds, keeping every finished trial.</summary>
    /// <exception cref="SchemaException">The label is missing or unfit for the task.</exception>
    /// <exception cref="ExperimentStorageException">The storage holds a study that does not match this experiment, or cannot be reached.</exception>
    public AutoMlResult Run(CancellationToken cancellationToken = default)
    {
        Options.Validate();
        var clock = Stopwatch.StartNew();
        var setup = Prepare();
        var prepared = clock.Elapsed;
        // A store the caller gave stays theirs; one opened here is closed here.
        using var owned = Options.Store is not null ? null : OpenStore(Options.StoragePath);
        var store = Options.Store ?? owned!;
        var study = new StudyDefinition(Options.StudyName, setup.Metric.Name, setup.Metric.Maximize, setup.Space.Describe(), Fingerprint(setup.Rows, setup.Label, setup.FoldCount, setup.Repeats), Settings());
        var best = new BestTracker(new ExperimentLog(_mlContext, Options.Progress));
        var budget = Options.TrainingTime;
        var runner = new ExperimentRunner(store, study, setup.Space, () => Options.TunerFactory?.Invoke(setup.Space, Options.Seed) ?? Tuners.Create(Options.Tuner, setup.Space, Options.Seed), Options.Pruner, new RunnerSettings
        {
            // Preparing large data can spend the whole budget; the runner then starts nothing and says so.
            TimeBudget = budget is { } total ? TimeLeft(total, prepared) : null,
            MaxTrials = Options.MaxTrials,
            TrialTimeout = Options.TrialTimeout,
            MemoryLimitMb = Options.MemoryLimitMb,
            ParallelTrials = Options.ParallelTrials,
            Threads = Options.Threads,
            // Without a time budget the run is meant to be reproducible; measured costs or finishing order would steer the tuner differently each time.
            UnitCosts = budget is null,
            ReproducibleOrder = budget is null,
            ReserveAtEnd = () => Options.RefitBest && budget is { } b ? RefitReserve(best, setup, b) : TimeSpan.Zero,
        }, best);
        foreach (var values in _enqueued)
            runner.Enqueue(setup.Space.Configuration(values));
        if (Options.StrongStarts)
        {
            foreach (var (candidate, parameters) in StrongStartPortfolio.For(setup.Candidates, setup.Task, setup.Shape))
                runner.Enqueue(setup.Space.Configuration(StrongStartPortfolio.Scoped(candidate, parameters.Values)));
        }
        if (Options.WorkerProcess is not null && Options.RefitBest && setup.Candidates.Any(c => c.TrainsWithTorch))
            _ = Task.Run(PreloadTorch, cancellationToken);
        RunSummary summary;
        using (var executor = Options.WorkerProcess is { } worker
            ? new WorkerProcessExecutor(worker, Options.ParallelTrials)
            : (ITrialExecutor)new InProcessTrialExecutor(setup.Evaluator.Evaluate))
            summary = runner.Run(executor, cancellationToken);

        TrainedModel? model = null;
        EnsembleSummary? ensemble = null;
        string? noEnsemble = null;
        EvaluationReport? test = null;
        string? finalFitChange = null;
        var baseline = summary.Best is { } bestTrial ? ConstantBaseline.Compare(bestTrial, setup.Task, setup.Metric, setup.Folds, setup.Label) : null;
        var refitClock = Stopwatch.StartNew();
        if (Options.RefitBest && summary.Best is { } winner && !cancellationToken.IsCancellationRequested)
        {
            if (baseline is { Beaten: false } && ConstantBaseline.CanSave(setup.Task))
            {
                // Saving the best trial would save a model that out of fold does no better than ignoring the columns.
                baseline = baseline with { Saved = true };
                model = setup.RefitConstant(winner, cancellationToken);
                noEnsemble = Options.Ensemble ? "no trial beat the constant baseline, which is saved instead" : null;
            }
            else
            {
                // An iterative winner stops its epochs when the budget is spent rather than overrun it (its folds may have
                // stopped early on their validation slices long before the refit on all rows does).
                DateTimeOffset? deadline = budget is { } b ? DateTimeOffset.UtcNow + TimeLeft(b, clock.Elapsed) : null;
                var winnerLimit = Until(deadline);
                finalFitChange = FinalFitWithin(winner, setup.Folds.Count, winnerLimit).Change;
                model = setup.Refit(winner, winnerLimit, cancellationToken);
                (model, ensemble, noEnsemble) = Ensemble(setup, store, winner, model, deadline, baseline?.Value, cancellationToken);
            }
            if (_testData is not null)
                test = ModelEvaluator.Evaluate(new MLContext(Options.Seed), model, _testData);
        }
        return new AutoMlResult(setup.Task, setup.Metric, setup.FoldCount, summary, model, refitClock.Elapsed, test, store.Location,
            (trial, cancel) => setup.Refit(trial, null, cancel))
        {
            TotalDuration = clock.Elapsed,
            PreparationDuration = prepared,
            Ensemble = ensemble,
            EnsembleSkipped = noEnsemble,
            Baseline = baseline,
            Repeats = setup.Repeats,
            RowsWithoutLabel = setup.RowsWithoutLabel,
            FinalFitChange = finalFitChange,
        };
    }

    /// <summary>
    /// Loads libtorch in this process while the trials run in workers: otherwise the first torch refit after the search
    /// loads it (0.3–0.4 s of a 2–3 s refit reserve on small tables), and a blend's last members miss the deadline. A failure
    /// is left for that refit to report.
    /// </summary>
    private static void PreloadTorch()
    {
        try
        {
            TorchRuntime.EnsureLoaded();
        }
        catch (NativeLibraryLoadException)
        {
        }
    }

    /// <summary>
    /// The configuration the saved model fits for <paramref name="trial"/> (cross-validated on <paramref name="folds"/>
    /// folds): its candidate's <see cref="TrialCandidate.FinalFit"/> when that is expected to end within
    /// <paramref name="limit"/> (always without one), else the trial's own, so that a forest of 20 trees that took 8 s on
    /// a large table is not regrown with 100 into a budget it would overrun.
    /// </summary>
    internal static FinalFit FinalFitWithin(TrialRecord trial, int folds, TimeSpan? limit) =>
        limit is { } left && EnsembleRefit.Expected(trial, folds) > left
            ? FinalFit.Unchanged(TrialConfiguration.Hyperparameters(trial))
            : TrialConfiguration.FinalFit(trial);

    private static TimeSpan TimeLeft(TimeSpan budget, TimeSpan elapsed) => budget > elapsed ? budget - elapsed : TimeSpan.Zero;

    /// <summary>The time until <paramref name="deadline"/> (zero once it has passed); null without a deadline.</summary>
    private static TimeSpan? Until(DateTimeOffset? deadline) => deadline is { } d ? TimeLeft(d - DateTimeOffset.UtcNow, TimeSpan.Zero) : null;

    /// <summary>
    /// Time the search leaves for the refits, from the fits of the best trials so far (one fold's fit each, half as much
    /// again for the larger training set): the best trial's refit, up to half the budget, since the run must end with a
    /// model; or, with an ensemble, the refits of the best trial of each trainer among the best
    /// <see cref="EnsembleBuilder.Candidates"/> trials, plus the selection and, when trials ran in workers, each of those
    /// trainers' first refit in this process (<see cref="BlendReserveSeconds"/>), up to a fifth of the budget, since members that do not fit are left out (so are
    /// the pool's other trainers' members when their refits do not fit). With the winner held to a fifth as well, on
    /// 5,000 IMDB reviews with 30 s (TF-IDF + L-BFGS fits in 9 s, refits in 10 s) the search ran on and the run ended at
    /// 36 s.
    /// </summary>
    private TimeSpan RefitReserve(BestTracker best, Setup setup, TimeSpan budget)
    {
        double Refit(double crossValidationSeconds) => crossValidationSeconds / setup.Folds.Count * 1.5;
        var winner = Math.Min(Refit(best.RefitSeconds(setup.Metric.Maximize, 1).Seconds), budget.TotalSeconds / 2);
        if (!Options.Ensemble)
            return TimeSpan.FromSeconds(winner);
        var pool = best.RefitSeconds(setup.Metric.Maximize, EnsembleBuilder.Candidates);
        var blend = BlendReserveSeconds(Refit(pool.Seconds), pool.Trainers, Options.WorkerProcess is not null, budget);
        return TimeSpan.FromSeconds(Math.Max(winner, blend));
    }

    /// <summary>
    /// Seconds the search leaves for an ensemble: the members' expected refits, the selection and, when trials ran in
    /// worker processes, each trainer's first refit in this process (<see cref="EnsembleRefit.FirstRefitSeconds"/> per
    /// trainer among the best trials, as the members' start rule counts it, and at least <see cref="ColdStartSeconds"/>),
    /// up to a fifth of the budget. With the flat 2 s alone, a blend of four or more trainers on a small table found about
    /// 1 s left and kept only its first members (outer loop, 30 s: boston_housing dropped its blend in 3 of 5 folds).
    /// </summary>
    internal static double BlendReserveSeconds(double refitSeconds, int trainers, bool workers, TimeSpan budget) =>
        Math.Min(refitSeconds + SelectionSeconds + (workers ? Math.Max(ColdStartSeconds, trainers * EnsembleRefit.FirstRefitSeconds) : 0),
            budget.TotalSeconds / 5);

    /// <summary>
    /// The selected ensemble with its members refit on all rows, when it beats <paramref name="winner"/> on the
    /// out-of-fold predictions and its refits finish by <paramref name="deadline"/>; otherwise the single model and why no
    /// ensemble was kept (null when ensembles are off). Loading the trials and selecting the blend count against the
    /// deadline (the search reserves <see cref="SelectionSeconds"/> for them).
    /// </summary>
    private (TrainedModel Model, EnsembleSummary? Ensemble, string? WhyNot) Ensemble(Setup setup, IExperimentStore store, TrialRecord winner, TrainedModel single, DateTimeOffset? deadline,
        double? baselineValue, CancellationToken cancellationToken)
    {
        if (!Options.Ensemble || cancellationToken.IsCancellationRequested)
            return (single, null, null);
        var trials = store.LoadTrials(setup.Space);
        var builder = new EnsembleBuilder(setup.Task, setup.Metric, setup.Folds, baselineValue);
        if (builder.Select(trials, out var whyNot) is not { } selected)
            return (single, null, whyNot);
        var timeLeft = Until(deadline);
        // Trials that ran in this process left their trainers loaded here; worker processes did not.
        var firstRefit = TimeSpan.FromSeconds(Options.WorkerProcess is not null ? EnsembleRefit.FirstRefitSeconds : 0);
        var members = EnsembleRefit.Members(selected, trials, setup.Folds.Count, firstRefit, new Dictionary<int, TrainedModel> { [winner.Number] = single },
            setup.Refit, deadline, TimeProvider.System, cancellationToken);
        if (selected.Weights.Keys.All(members.ContainsKey))
            return (EnsembleBuilder.Combine(selected, members, setup.Task, setup.Encoded.Schema), selected, null);
        // Keep the members refit in time if their blend still beats the best single trial out of fold, else the single model.
        if (builder.Restrict(members.Keys.ToList()) is { } partial)
            return (EnsembleBuilder.Combine(partial, members, setup.Task, setup.Encoded.Schema), partial, null);
        var others = selected.Weights.Keys.Where(n => n != winner.Number).ToList();
        return (single, null, string.Create(CultureInfo.InvariantCulture,
            $"a blend of {selected.Weights.Count} trials was selected, but refitting its members did not fit in the {timeLeft?.TotalSeconds ?? 0:0.0} s left ({others.Count(members.ContainsKey)} of {others.Count} refit) and those refit do not beat the best single trial"));
    }

    /// <summary>
    /// Serves this experiment's trials as a worker process: prepares the data exactly as <see cref="Run"/> does, then
    /// evaluates the trials a runner sends on <paramref name="input"/>, answering on <paramref name="output"/>, until
    /// the input closes (see <see cref="TrialWorker"/>). Nothing is stored or saved here.
    /// </summary>
    public void ServeWorker(TextReader input, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        Options.Validate();
        Setup setup;
        try
        {
            setup = Prepare();
        }
        catch (Exception error)
        {
            TrialWorker.Refuse(output, $"{error.GetType().Name}: {error.Message}");
            throw;
        }
        TrialWorker.Serve(setup.Evaluator.Evaluate, setup.Space, input, output);
    }

    /// <summary>Opens the store <paramref name="storage"/> names: a PostgreSQL connection string, an SQLite file, or (null) memory.</summary>
    public static IExperimentStore OpenStore(string? storage) => storage is null ? new InMemoryExperimentStore()
        : PostgresConnectionString.IsPostgres(storage) ? new PostgresExperimentStore(storage)
        : new SqliteExperimentStore(storage);

    /// <summary>Everything a run derives from the data and options before its first trial; the same in the runner and in every worker.</summary>
    private sealed record Setup(LabelSetup Label, PredictionTask Task, MetricDefinition Metric, IDataView Encoded, IReadOnlyList<DataSplit> Folds,
        int FoldCount, int Repeats, SearchSpace Space, TrialEvaluator Evaluator, Func<TrialRecord, TimeSpan?, CancellationToken, TrainedModel> Refit,
        Func<TrialRecord, CancellationToken, TrainedModel> RefitConstant, IReadOnlyList<TrialCandidate> Candidates, DataShape Shape, long Rows, int RowsWithoutLabel);

    private Setup Prepare()
    {
        var label = LabelSetup.Resolve(_data, _labelColumn, Options.Task, Options.PositiveClass);
        var task = label.Task;
        var modality = label.Modality(Options.Features, ColumnsWithIgnored()?.IgnoredColumnNames ?? (IEnumerable<string>)Array.Empty<string>());
        var candidates = (Options.Trainers.Count > 0 ? Options.Trainers.Select(CandidateCatalog.Get) : CandidateCatalog.Defaults(task, modality))
            .Concat(Options.AddedTrainers.Select(CandidateCatalog.Get)).DistinctBy(c => c.Name).ToList();
        var unsupported = candidates.Where(c => !c.Supports(task)).Select(c => c.Name).ToList();
        if (unsupported.Count > 0)
            throw new ArgumentException($"{string.Join(", ", unsupported)} cannot do {task}; trainers that can: {string.Join(", ", CandidateCatalog.All.Where(c => c.Supports(task)).Select(c => c.Name))}.");
        var metric = MetricDefinition.Get(task, Options.Metric);
        var plans = candidates.ToDictionary(c => c.Name, c => Options.Features ?? label.DefaultFeatures(_data, c.ReadsTokenSequences, ColumnsWithIgnored()));
        // A model made for images would train on anything and score at chance: refuse it rather than save such a model.
        var imageless = candidates.Where(c => c.ReadsImages && !plans[c.Name].IsImage).Select(c => c.Name).ToList();
        if (imageless.Count > 0)
            throw new SchemaException($"{string.Join(", ", imageless)} reads images, but this data has none (no image files or tensor, nor a square of 8×8 or more numeric pixel columns); leave it out of the trainers.");
        foreach (var column in plans.Values.SelectMany(p => p.ImagePathColumns).Distinct())
            ImageFiles.Check(_data, column);

        var ml = new MLContext(Options.Seed);
        var (labelled, withoutLabel) = LabelledRows.Of(_data, label.LabelColumn);
        var labelEncoder = label.Encoder(ml).Fit(labelled);
        var encoded = ml.Data.Cache(labelEncoder.Transform(labelled));
        var stratify = task == PredictionTask.Regression ? null : "Label";
        var rows = CountReadingEveryColumn(encoded);
        var foldCount = Options.Folds ?? AutomaticFolds(rows, _data.Schema.Count - 1, modality, label.Classes.Count);
        var repeats = Repeats(rows, foldCount, label.Classes.Count);
        var folds = foldCount > 1
            ? DataSplits.RepeatedKFold(encoded, foldCount, repeats, Options.Seed, stratify)
            : new[] { DataSplits.TrainTest(encoded, Options.HoldoutFraction, Options.Seed, stratify) };
        var space = AutoMlSpace.Build(task, candidates);
        var binaryClasses = task == PredictionTask.BinaryClassification
            ? new[] { label.Classes.First(c => c != label.PositiveClass), label.PositiveClass! }
            : Array.Empty<string>();
        var allRows = new DataShape(rows, label.Classes.Count, modality);
        var evaluator = new TrialEvaluator(task, metric, folds, c => plans[c.Name], Options.Seed, reportEpochs: true, binaryClasses, allRows);

        var checkedRows = DataSplits.Spread(encoded, RefitCheckRows);
        var checkedOn = ReferenceEquals(checkedRows, encoded) ? ""
            : string.Create(CultureInfo.InvariantCulture, $", checked on {checkedRows.GetRowCount():N0} of its {rows:N0} training rows spread evenly,");

        TrainedModel Refit(TrialRecord trial, TimeSpan? trainingLimit, CancellationToken cancel)
        {
            var candidate = TrialEvaluator.Resolve(trial.Configuration).Candidate;
            var parameters = FinalFitWithin(trial, folds.Count, trainingLimit).Parameters;
            var features = plans[candidate.Name];
            var context = new CandidateContext(Options.Threads, Options.Seed, cancel)
            {
                ValidationFraction = TrialEvaluator.ValidationFraction,
                TimeLimit = trainingLimit,
                Data = allRows,
            };
            var scorer = candidate.CreatePipeline(new MLContext(Options.Seed), task, features, parameters, context)
                .Fit(new CancellingDataView(encoded, cancel));
            ScoreCheck.RequireFinite(scorer.Transform(checkedRows), $"The refit {candidate.Name} model{checkedOn}");
            return new TrainedModel(label.Describe(candidate.Name, features, encoded), _data.Schema, labelEncoder, scorer);
        }

        // The constant model reads the winner's features: it ignores them, but takes the same input as any other model. A
        // sequence model's token ids are no fixed vector of numbers to drop the slots of; the table's featurization is.
        TrainedModel RefitConstant(TrialRecord winner, CancellationToken cancel)
        {
            var candidate = TrialEvaluator.Resolve(winner.Configuration).Candidate;
            var features = candidate.ReadsTokenSequences ? label.DefaultFeatures(_data, false, ColumnsWithIgnored()) : plans[candidate.Name];
            var ml = new MLContext(Options.Seed);
            var scorer = ConstantBaseline.Model(ml, task, features.Build(ml, null)).Fit(new CancellingDataView(encoded, cancel));
            return new TrainedModel(label.Describe(ConstantBaseline.TrainerName, features, encoded), _data.Schema, labelEncoder, scorer);
        }

        var shape = allRows with { Rows = foldCount > 1 ? rows * (foldCount - 1) / foldCount : (long)(rows * (1 - Options.HoldoutFraction)) };
        return new Setup(label, task, metric, encoded, folds, foldCount, repeats, space, evaluator, Refit, RefitConstant, candidates, shape, rows, withoutLabel);
    }

    /// <summary>
    /// Tables from this many rows up to <see cref="TenFoldsBelowRows"/> are cross-validated with 10 folds: a fifth of
    /// them holds under 40 rows, so 5-fold scores move in steps of 2.5 % and more and rank near-equal trials by luck,
    /// while their trials are cheap enough to fit twice as often. Below it a tenth would hold under 10 rows.
    /// </summary>
    public const int TenFoldsFromRows = 100;

    /// <summary>Tables below this many rows (and from <see cref="TenFoldsFromRows"/>) are cross-validated with 10 folds.</summary>
    public const int TenFoldsBelowRows = 200;

    /// <summary>
    /// Multiclass tables of 200–999 rows whose classes hold fewer rows than this on average are cross-validated with 10
    /// folds: with 5, each fold's models see a fifth fewer rows of every small class than the final model will, and the
    /// out-of-fold predictions the search ranks and blends by understate the models that need those rows most.
    /// </summary>
    public const int TenFoldsBelowRowsPerClass = 50;

    // Every column once, into the cache the trials read: a value no trial could read stops the run here, not each trial,
    // and with the error the data raised rather than the cache's wrapper.
    private static long CountReadingEveryColumn(IDataView encoded)
    {
        try
        {
            return RowCounter.CountReadingEveryColumn(encoded);
        }
        catch (InvalidOperationException error)
        {
            FailureCause.ThrowUnwrapped(error);
            throw;
        }
    }

    /// <summary>
    /// The evaluation AutoML picks when <see cref="AutoMlOptions.Folds"/> is not set: 10-fold cross-validation on
    /// tables of 100–199 rows (outer loop, 30 s, five runs each: glass, 171 training rows, 0.8215 on average against
    /// 0.8000 with 5 folds; sonar, 166 rows, 0.8760 against 0.8819, both far above scikit-learn's defaults) and on
    /// multiclass tables of 200–999 rows whose classes average under <see cref="TenFoldsBelowRowsPerClass"/> rows
    /// (outer loop, 30 s: soybean, 546 training rows in 19 classes, 0.9509 on average over nine runs, 0.9488–0.9532,
    /// against 0.9491 over ten runs with 5 folds, 0.9488–0.9502; vowel, 792 rows and 72 per class, lost
    /// 0.0144 with 10 folds, which left it 9–12 trials and blends of forests only, where with 5 folds the kernel machine
    /// leads four folds of five); 5 folds on other small tables; a single holdout from 10,000 rows or 200,000 cells, and
    /// on text or images, where one 5-fold trial of a strong model can take longer than a short budget.
    /// </summary>
    /// <param name="rows">Rows of the table.</param>
    /// <param name="columns">Columns of the table besides the label.</param>
    /// <param name="modality">What the data is: a table, text or images.</param>
    /// <param name="classes">Classes of the label (0 for regression).</param>
    public static int AutomaticFolds(long rows, int columns, DataModality modality, int classes = 0) =>
        modality != DataModality.Tabular || rows >= 10_000 || rows * columns >= 200_000 ? 1
        : rows >= TenFoldsFromRows && (rows < TenFoldsBelowRows || ClassesAverageFewRows(rows, classes)) ? 10 : 5;

    private static bool ClassesAverageFewRows(long rows, int classes) =>
        rows < RepeatedFoldsBelowRows && rows < (long)TenFoldsBelowRowsPerClass * classes;

    /// <summary>Tables from <see cref="TenFoldsFromRows"/> up to this many rows get their automatic folds twice.</summary>
    public const int RepeatedFoldsBelowRows = 1_000;

    /// <summary>
    /// Rows × classes from which a multiclass table keeps a single partition of its folds: its trials cost about as many fits
    /// as it has classes, and twice as many folds left soybean (546 rows, 19 classes) and vowel (792 rows, 11 classes)
    /// only their 11–20 strong starts per 30 s search, 0.0037 and 0.0026 below one partition.
    /// </summary>
    public const int RepeatedFoldsBelowCells = 5_000;

    /// <summary>
    /// How often AutoML repeats cross-validation when neither <see cref="AutoMlOptions.Repeats"/> nor
    /// <see cref="AutoMlOptions.Folds"/> is set: twice (on two shuffles) when the table has 100–999 rows, gets its
    /// automatic folds (<see cref="AutomaticFolds"/>: 10 below 200 rows or with small classes, else 5) and has fewer than
    /// <see cref="RepeatedFoldsBelowCells"/> rows × classes, else once. On such tables many trials tie within a row or
    /// two, so one partition ranks them (and weighs them in the ensemble) partly by which rows fell together, while their
    /// trials are cheap enough to fit twice as often. Outer loop, 30 s: from 200 rows, three rounds, boston_housing
    /// +0.0145, ionosphere +0.0114, vehicle +0.0063, concrete +0.0010, pima_diabetes +0.0009 (session 26); below 200
    /// rows, five runs each, glass 0.8270 against 0.8056 and sonar 0.8761 against 0.8856, both above scikit-learn's
    /// defaults either way (session 32).
    /// </summary>
    /// <param name="rows">Rows of the table.</param>
    /// <param name="folds">Folds per partition.</param>
    /// <param name="classes">Classes of the label (0 for regression).</param>
    public static int AutomaticRepeats(long rows, int folds, int classes) =>
        rows >= TenFoldsFromRows && rows < RepeatedFoldsBelowRows && folds == AutomaticFolds(rows, columns: 0, DataModality.Tabular, classes)
        && rows * Math.Max(classes, 1) < RepeatedFoldsBelowCells ? 2 : 1;

    /// <summary>
    /// Repeats of the cross-validation: none with a holdout, else the user's, else <see cref="AutomaticRepeats"/> when
    /// the folds are automatic too. A fold count the user chose is not repeated unasked, so that a study they made with
    /// <c>--cv N</c> resumes as before.
    /// </summary>
    private int Repeats(long rows, int folds, int classes)
    {
        if (folds == 1)
            return 1;
        return Options.Repeats ?? (Options.Folds is null ? AutomaticRepeats(rows, folds, classes) : 1);
    }

    private ColumnInformation? ColumnsWithIgnored()
    {
        if (Options.IgnoreColumns.Count == 0)
            return Options.ColumnInformation;
        var columns = Options.ColumnInformation?.Clone() ?? new ColumnInformation();
        foreach (var name in Options.IgnoreColumns)
            columns.IgnoredColumnNames.Add(name);
        return columns;
    }

    private string Settings() =>
        $"tuner={Options.Tuner}; trainers={string.Join(",", Options.Trainers.Concat(Options.AddedTrainers))}; time={Options.TrainingTime?.TotalSeconds.ToString(CultureInfo.InvariantCulture) ?? "none"}; max_trials={Options.MaxTrials?.ToString(CultureInfo.InvariantCulture) ?? "none"}; parallel={Options.ParallelTrials}";

    private string Fingerprint(long rows, LabelSetup label, int folds, int repeats)
    {
        var evaluation = folds > 1 ? $"{(repeats > 1 ? $"{repeats}x" : "")}{folds}-fold" : $"holdout {Options.HoldoutFraction.ToString(CultureInfo.InvariantCulture)}";
        return $"rows={rows}; columns={string.Join(",", _data.Schema.Select(c => c.Name))}; label={label.LabelColumn}; task={label.Task}; {evaluation}; seed={Options.Seed}";
    }

    private AutoMlExperiment With(Action<AutoMlOptions> set)
    {
        set(Options);
        return this;
    }

    /// <summary>Passes events on, remembering the completed trials (the refit reserve is sized from the best ones).</summary>
    private sealed class BestTracker(IProgress<ExperimentEvent>? inner) : IProgress<ExperimentEvent>
    {
        private readonly List<TrialRecord> _complete = new();

        /// <summary>
        /// Seconds (every fold, times its final fit's cost factor) that the best trial of each trainer among the best <paramref name="count"/> complete
        /// trials took: an ensemble's members come from those, mostly one or two per trainer. The best four alone
        /// missed them: on pima_diabetes the members were an MLP, a forest and LightGBM ranked far below four SDCAs,
        /// and the refit ran out of time. Also how many trainers those are.
        /// </summary>
        public (double Seconds, int Trainers) RefitSeconds(bool maximize, int count)
        {
            lock (_complete)
            {
                var best = _complete.OrderBy(t => maximize ? -t.Value!.Value : t.Value!.Value).Take(count)
                    .GroupBy(t => t.Configuration.GetString(AutoMlSpace.TrainerParameter))
                    .Select(g => g.First().Duration.TotalSeconds * TrialConfiguration.FinalFit(g.First()).CostFactor).ToList();
                return (best.Sum(), best.Count);
            }
        }

        public void Report(ExperimentEvent value)
        {
            if (value.Kind == ExperimentEventKind.TrialCompleted && value.Trial.Value is { } v && double.IsFinite(v))
            {
                lock (_complete)
                    _complete.Add(value.Trial);
            }
            inner?.Report(value);
        }
    }
}
