using System.CommandLine;
using MlToolkit.Cli.Output;
using MlToolkit.Experiments.Candidates;

namespace MlToolkit.Cli.Commands;

/// <summary>The options of <c>mltoolkit automl</c>.</summary>
internal sealed class AutomlCommandOptions
{
    public AutomlCommandOptions()
    {
        Data = new DatasetOptions();
        Label = new Option<string?>("--label-col") { Description = "Column to predict. Required with --dataset; samples know theirs." };
        Task = new Option<string?>("--task") { Description = "binary, multiclass or regression. Default: inferred from the label." };
        Task.AcceptOnlyFromAmong("binary", "multiclass", "regression");
        TrainTime = new Option<double?>("--train-time") { Description = "Time budget in seconds for the whole run: search, refit and, with --explain, the report's explanations (the last tenth, at most 60 s); running trials are stopped at the deadline. Default 60 unless --max-trials is given." };
        MaxTrials = new Option<int?>("--max-trials") { Description = "Trials to finish, counting those of a resumed experiment." };
        Tuner = new Option<string>("--tuner") { Description = "tpe, cfo (cost-frugal, starts cheap), random or grid.", DefaultValueFactory = _ => "cfo" };
        Tuner.AcceptOnlyFromAmong("tpe", "cfo", "random", "grid");
        Folds = new Option<int?>("--cv") { Description = "Cross-validation folds per trial (stratified for classification); 1 = a 20% holdout. Default: 10 on tables of 100–199 rows and on multiclass tables of up to 999 rows whose classes average under 50 rows, 5 on other small tables, or a holdout from 10,000 rows (or 200,000 cells) and on text or images." };
        Repeats = new Option<int?>("--cv-repeats") { Description = "Times cross-validation is repeated on a new shuffle of the rows; a trial's score is the mean over all of them. Default: twice on tables of 100–999 rows (under 5,000 rows × classes) when --cv is not given, else once." };
        Trainers = new Option<string[]>("--trainers") { Description = $"Trainers to sweep (comma-separated): {string.Join(", ", CandidateCatalog.All.Select(c => c.Name))}. Default: the classic ones and mlp.", AllowMultipleArgumentsPerToken = true };
        Metric = new Option<string?>("--metric") { Description = "Metric to optimize, e.g. accuracy, macro_accuracy, log_loss, auc, f1, r_squared, rmse. Default: accuracy (R² for regression)." };
        Storage = new Option<string?>("--storage") { Description = "Where trials are stored: an SQLite file, or a PostgreSQL connection string (postgresql://user@host:port/db; password from PGPASSWORD or ~/.pgpass) to share the study between machines. Re-running with it resumes; several processes may run one study at once. Default: <output>/experiment.db." };
        Study = new Option<string>("--study") { Description = "Study name inside the storage file.", DefaultValueFactory = _ => "default" };
        OutputFolder = new Option<string>("--output", "-o") { Description = "Folder for the best model, leaderboard and trial history.", DefaultValueFactory = _ => "mltoolkit-automl" };
        Parallel = new Option<int>("--parallel") { Description = "Trials run at once; threads are split between them.", DefaultValueFactory = _ => 1 };
        Threads = new Option<int?>("--threads") { Description = "Threads in all (LightGBM below 10,000 training rows and the MLP below 50,000 use one per trial, which is faster there). Default: all cores." };
        TrialTimeout = new Option<double?>("--trial-timeout") { Description = "Seconds one trial may run before it is stopped and marked failed." };
        MemoryLimit = new Option<double?>("--memory-limit") { Description = "MiB one trial may use: its worker process is killed over it and the trial marked failed (with --isolation thread, the whole process is measured and the newest trial stopped)." };
        Isolation = new Option<string>("--isolation") { Description = "Where trials run: process (each in a worker process that can be killed at the deadline, timeout or memory cap; a crash costs only its trial) or thread (in this process; no start-up cost).", DefaultValueFactory = _ => "process" };
        Isolation.AcceptOnlyFromAmong("process", "thread");
        Pruner = new Option<string>("--pruner") { Description = "Early stopping of torch trials from their per-epoch validation loss: none, median or asha.", DefaultValueFactory = _ => "none" };
        Pruner.AcceptOnlyFromAmong("none", "median", "asha");
        Seed = new Option<int>("--seed") { Description = "Seed of the tuner, the folds and the trainers.", DefaultValueFactory = _ => 1 };
        TestDataset = new Option<string?>("--test-dataset") { Description = "Test file the refit best model is evaluated on." };
        Ignore = new Option<string[]>("--ignore-cols") { Description = "Columns not to use as features (comma-separated or repeated).", AllowMultipleArgumentsPerToken = true };
        Positive = new Option<string?>("--positive-class") { Description = "Binary classification: the label value scored as positive." };
        Json = new Option<bool>("--json") { Description = "Print the result as JSON on standard output (no progress lines)." };
        Verbosity = VerbosityOption.Create("quiet (result only), normal (progress bars on a terminal, a line per trial otherwise) or diagnostic (every event).");
    }

    public DatasetOptions Data { get; }

    public Option<bool> Ensemble { get; } = new("--ensemble") { Description = "After the search, blend the best trials (bagged greedy selection on their out-of-fold predictions) and save the blend when it beats the best single trial.", DefaultValueFactory = _ => true };

    public Option<bool> StrongStarts { get; } = new("--strong-starts") { Description = "Evaluate each trainer's known-good configurations (cheapest first) before the tuner proposes.", DefaultValueFactory = _ => true };

    public Option<bool> Explain { get; } = new("--explain") { Description = "Explain the best model in the report (column importance and a few SHAP rows), cut down to fit the last tenth of --train-time.", DefaultValueFactory = _ => true };

    /// <summary>Hidden: serve trials to a parent automl process on standard input and output (see TrialWorker).</summary>
    public Option<bool> Worker { get; } = new("--worker") { Hidden = true };

    public Option<string> Verbosity { get; }
    public Option<string> Isolation { get; }
    public Option<string?> Label { get; }
    public Option<string?> Task { get; }
    public Option<double?> TrainTime { get; }
    public Option<int?> MaxTrials { get; }
    public Option<string> Tuner { get; }
    public Option<int?> Folds { get; }
    public Option<int?> Repeats { get; }
    public Option<string[]> Trainers { get; }
    public Option<string?> Metric { get; }
    public Option<string?> Storage { get; }
    public Option<string> Study { get; }
    public Option<string> OutputFolder { get; }
    public Option<int> Parallel { get; }
    public Option<int?> Threads { get; }
    public Option<double?> TrialTimeout { get; }
    public Option<double?> MemoryLimit { get; }
    public Option<string> Pruner { get; }
    public Option<int> Seed { get; }
    public Option<string?> TestDataset { get; }
    public Option<string[]> Ignore { get; }
    public Option<string?> Positive { get; }
    public Option<bool> Json { get; }

    /// <summary>Every option, as the command lists them.</summary>
    public IEnumerable<Option> All => Data.All.Concat(new Option[] { Label, Task, TrainTime, MaxTrials, Tuner, Folds, Repeats, Trainers, Metric, Storage, Study, OutputFolder, Parallel, Threads, TrialTimeout, MemoryLimit, Isolation, Pruner, Seed, TestDataset, Ignore, Positive, Json, Verbosity, Ensemble, StrongStarts, Explain, Worker });
}
