using System.Globalization;
using Microsoft.ML;
using MlToolkit.Data;
using MlToolkit.Models;
using MlToolkit.Models.Ensembles;

namespace MlToolkit.Experiments.AutoMl;

/// <summary>
/// Keeps the fold models of a run's best trials, so that the final model can average a trial's k fold models instead
/// of refitting it on all rows (bagging, as AutoGluon does). Each process (the runner or a worker) holds in memory the
/// fold models of the best <see cref="Kept"/> trials it has evaluated itself, so the run's best trials are always among
/// them; after the search it writes those the final model needs to a folder the runner reads (saving every kept
/// trial as it came halved the trials of a 30-s run on pima_diabetes). A trial is written to a temporary folder and
/// renamed when complete, so one cut off is never read.
/// </summary>
internal sealed class FoldModelCache
{
    /// <summary>The environment variable that tells a worker process the folder to save into.</summary>
    public const string FolderVariable = "MLTOOLKIT_FOLD_MODELS";

    /// <summary>Trials kept per process: as many as ensemble selection considers.</summary>
    public const int Kept = Ensembles.EnsembleBuilder.Candidates;

    private readonly string _folder;
    private readonly bool _maximize;
    private readonly List<(double Key, int Trial, IReadOnlyList<TrainedModel> Folds)> _best = new();

    public FoldModelCache(string folder, bool maximize)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        _folder = folder;
        _maximize = maximize;
    }

    /// <summary>The folder the fold models are saved in.</summary>
    public string Folder => _folder;

    /// <summary>Keeps <paramref name="trial"/>'s fold models (made by <paramref name="folds"/> only then) when <paramref name="value"/> is among the best <see cref="Kept"/> this process has seen.</summary>
    public void Offer(int trial, double value, Func<IReadOnlyList<TrainedModel>> folds)
    {
        ArgumentNullException.ThrowIfNull(folds);
        if (!double.IsFinite(value))
            return;
        var key = _maximize ? -value : value;
        lock (_best)
        {
            if (_best.Count == Kept && key >= _best[^1].Key)
                return;
            var at = _best.FindIndex(b => b.Key > key);
            _best.Insert(at < 0 ? _best.Count : at, (key, trial, folds()));
            if (_best.Count > Kept)
                _best.RemoveAt(Kept);
        }
    }

    /// <summary>Writes the fold models of those of <paramref name="trials"/> this process keeps.</summary>
    public void Save(MLContext mlContext, IReadOnlyCollection<int> trials)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(trials);
        List<(double Key, int Trial, IReadOnlyList<TrainedModel> Folds)> kept;
        lock (_best)
            kept = _best.Where(b => trials.Contains(b.Trial)).ToList();
        foreach (var (_, trial, folds) in kept)
            Save(mlContext, trial, folds);
    }

    private void Save(MLContext mlContext, int trial, IReadOnlyList<TrainedModel> folds)
    {
        var partial = TrialFolder(trial) + ".partial-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        try
        {
            Directory.CreateDirectory(partial);
            for (var fold = 0; fold < folds.Count; fold++)
                folds[fold].Save(mlContext, FoldFile(partial, fold));
            Directory.Move(partial, TrialFolder(trial));
        }
        catch (IOException)
        {
            // A full disk, or a trial saved already (by another worker): the final model is then refit instead.
            TryDelete(partial);
        }
    }

    /// <summary>Deletes the folder and everything saved in it; what cannot be deleted stays (in the temporary folder).</summary>
    public void Clear() => TryDelete(_folder);

    private static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
        }
    }

    /// <summary>
    /// <paramref name="trial"/>'s <paramref name="folds"/> fold models averaged with equal weights into one model, or
    /// null when they were not saved (a trial outside a process's best, one cut off while saving, or one that ran
    /// elsewhere).
    /// </summary>
    public TrainedModel? Bag(MLContext mlContext, int trial, int folds, PredictionTask task)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        var folder = TrialFolder(trial);
        if (!Enumerable.Range(0, folds).All(f => File.Exists(FoldFile(folder, f))))
            return null;
        var models = Enumerable.Range(0, folds).Select(f => TrainedModel.Load(mlContext, FoldFile(folder, f))).ToList();
        var first = models[0];
        var classes = task == PredictionTask.MulticlassClassification ? first.Description.Classes : Array.Empty<string>();
        var scorer = new EnsembleTransformer(task, models.Select(m => m.Scorer).ToList(), models.Select(_ => 1.0).ToList(), classes);
        return new TrainedModel(first.Description, first.InputSchema, first.LabelEncoder, scorer);
    }

    private string TrialFolder(int trial) => Path.Combine(_folder, "trial-" + trial.ToString(CultureInfo.InvariantCulture));

    private static string FoldFile(string folder, int fold) => Path.Combine(folder, "fold-" + fold.ToString(CultureInfo.InvariantCulture) + ".mlmodel");
}
