using MlToolkit.Models.Evaluation;
using MlToolkit.Experiments.AutoMl;
using MlToolkit.Experiments.Storage;
using MlToolkit.Experiments.Tuning;

namespace MlToolkit.Experiments.Reporting;

/// <summary>What a report is made from: the study's name and metric and its trials (from a run, or read from storage).</summary>
/// <param name="StudyName">Study name.</param>
/// <param name="Metric">The metric and its direction.</param>
/// <param name="Trials">Every trial, by number.</param>
/// <param name="Source">Where the trials come from (storage path), for the report's header.</param>
public sealed record ReportData(string StudyName, MetricDefinition Metric, IReadOnlyList<TrialRecord> Trials, string Source)
{
    /// <summary>Reads study <paramref name="studyName"/> from the SQLite file at <paramref name="path"/>, or from the PostgreSQL database it names.</summary>
    /// <exception cref="ExperimentStorageException">The file is not an experiment store, the database cannot be reached, or it has no such study.</exception>
    public static ReportData FromStorage(string path, string studyName = "default")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!PostgresConnectionString.IsPostgres(path) && !File.Exists(path))
            throw new ExperimentStorageException($"'{Path.GetFullPath(path)}' does not exist.");
        using SqlExperimentStore store = PostgresConnectionString.IsPostgres(path) ? new PostgresExperimentStore(path) : SqliteExperimentStore.OpenReadOnly(path);
        var (study, trials) = store.ReadStudy(studyName);
        return new ReportData(study.Name, new MetricDefinition(study.Metric, study.Maximize), trials, store.Location);
    }

    /// <summary>The report data of a finished AutoML run.</summary>
    public static ReportData FromResult(AutoMlResult result, string studyName = "default")
    {
        ArgumentNullException.ThrowIfNull(result);
        return new ReportData(studyName, result.Metric, result.Trials, result.Storage) { Ensemble = result.Ensemble, Baseline = result.Baseline };
    }

    /// <summary>The ensemble the run saved as its model, if it did.</summary>
    public Ensembles.EnsembleSummary? Ensemble { get; init; }

    /// <summary>The constant predictor the run measured its best trial against, when it did.</summary>
    public BaselineSummary? Baseline { get; init; }

    /// <summary>The best model's explanation (column importance, a few explained rows), when it was computed.</summary>
    public MlToolkit.Models.Explanations.ModelSummary? Explanations { get; init; }

    /// <summary>Complete trials with a value.</summary>
    public IReadOnlyList<TrialRecord> Complete => Trials.Where(t => t.State == TrialState.Complete && t.Value is not null).ToList();

    /// <summary>The best complete trial, if any.</summary>
    public TrialRecord? Best => Metric.Maximize ? Complete.MaxBy(t => t.Value) : Complete.MinBy(t => t.Value);
}
