using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using MlToolkit.Experiments.Tuning;
using MlToolkit.Experiments.Tuning.SearchSpaces;

namespace MlToolkit.Experiments.Storage;

/// <summary>
/// Trials in an embedded SQLite file: one file per experiment, or several named studies in one file. Each change is
/// one transaction in a write-ahead log with full sync, so killing the process at any moment leaves the file
/// consistent and loses only the trials that were running.
/// </summary>
public sealed class SqliteExperimentStore : IExperimentStore
{
    private const int SchemaVersion = 1;
    private readonly object _gate = new();
    private readonly SqliteConnection _connection;
    private long _studyId = -1;

    /// <summary>Opens (or creates) the file at <paramref name="path"/>.</summary>
    /// <exception cref="ExperimentStorageException">The file is not an MlToolkit experiment database, or cannot be opened.</exception>
    public SqliteExperimentStore(string path)
        : this(path, readOnly: false)
    {
    }

    private SqliteExperimentStore(string path, bool readOnly)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Location = Path.GetFullPath(path);
        if (readOnly && (!File.Exists(Location) || new FileInfo(Location).Length == 0))
            throw new ExperimentStorageException($"'{Location}' is not an experiment store: {(File.Exists(Location) ? "the file is empty" : "no such file")}.");
        var folder = Path.GetDirectoryName(Location);
        if (!readOnly && !string.IsNullOrEmpty(folder))
            Directory.CreateDirectory(folder);
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Location, Pooling = false, Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
        }.ToString());
        try
        {
            _connection.Open();
            // Whose database it is comes first: a foreign file is refused before any setting of ours changes it.
            CheckOwnership(readOnly);
            Execute(readOnly ? "PRAGMA busy_timeout=5000;" : "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000;");
            if (!readOnly)
                CreateSchema();
        }
        catch (ExperimentStorageException)
        {
            _connection.Dispose();
            throw;
        }
        catch (SqliteException error)
        {
            _connection.Dispose();
            throw new ExperimentStorageException($"'{Location}' cannot be used as experiment storage: {error.Message}", error);
        }
    }

    /// <summary>Opens an existing store without writing to it (for reports): nothing is created, migrated or switched.</summary>
    /// <exception cref="ExperimentStorageException">The file is missing, empty, or not an MlToolkit experiment database.</exception>
    public static SqliteExperimentStore OpenReadOnly(string path) => new(path, readOnly: true);

    /// <inheritdoc/>
    public string Location { get; }

    /// <inheritdoc/>
    public bool OpenStudy(StudyDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction();
            using var find = Command("SELECT id, metric, maximize, space, data, settings FROM studies WHERE name = $name", transaction, ("$name", definition.Name));
            using (var reader = find.ExecuteReader())
            {
                if (reader.Read())
                {
                    var stored = new StudyDefinition(definition.Name, reader.GetString(1), reader.GetInt64(2) != 0, reader.GetString(3), reader.GetString(4), reader.GetString(5));
                    StudyCompatibility.Check(stored, definition, Location);
                    _studyId = reader.GetInt64(0);
                    reader.Close();
                    using var orphans = Command("UPDATE trials SET state = $failed, error = $error WHERE study_id = $study AND state = $running", transaction,
                        ("$failed", (long)TrialState.Failed), ("$error", "The process ended while this trial was running."), ("$study", _studyId), ("$running", (long)TrialState.Running));
                    orphans.ExecuteNonQuery();
                    transaction.Commit();
                    return true;
                }
            }
            using var insert = Command("INSERT INTO studies(name, metric, maximize, space, data, settings, created) VALUES($name, $metric, $max, $space, $data, $settings, $created); SELECT last_insert_rowid();", transaction,
                ("$name", definition.Name), ("$metric", definition.Metric), ("$max", definition.Maximize ? 1L : 0L), ("$space", definition.SearchSpace), ("$data", definition.Data),
                ("$settings", definition.Settings), ("$created", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture)));
            _studyId = (long)insert.ExecuteScalar()!;
            transaction.Commit();
            return false;
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<TrialRecord> LoadTrials(SearchSpace space)
    {
        ArgumentNullException.ThrowIfNull(space);
        return Load(space);
    }

    /// <summary>
    /// Opens study <paramref name="name"/> read-only for a report: its definition and every trial, configurations
    /// read as stored (no search space to check them against).
    /// </summary>
    /// <exception cref="ExperimentStorageException">No such study; the message lists the studies in the file.</exception>
    public (StudyDefinition Study, IReadOnlyList<TrialRecord> Trials) ReadStudy(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        lock (_gate)
        {
            using var find = Command("SELECT id, metric, maximize, space, data, settings FROM studies WHERE name = $name", null, ("$name", name));
            using var reader = find.ExecuteReader();
            if (!reader.Read())
            {
                reader.Close();
                var names = StudyNames();
                throw new ExperimentStorageException(names.Count == 0
                    ? $"'{Location}' holds no study yet."
                    : $"'{Location}' has no study '{name}'. Studies: {string.Join(", ", names)}.");
            }
            _studyId = reader.GetInt64(0);
            var study = new StudyDefinition(name, reader.GetString(1), reader.GetInt64(2) != 0, reader.GetString(3), reader.GetString(4), reader.GetString(5));
            reader.Close();
            return (study, Load(null));
        }
    }

    private IReadOnlyList<TrialRecord> Load(SearchSpace? space)
    {
        lock (_gate)
        {
            RequireStudy();
            var trials = new List<TrialRecord>();
            using var command = Command("SELECT number, params, state, origin, retry_of, value, value_std, folds, metrics, intermediate, started, duration_s, peak_mb, error, diagnostics FROM trials WHERE study_id = $study ORDER BY number", null, ("$study", _studyId));
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var number = reader.GetInt32(0);
                ParameterSet configuration;
                try
                {
                    configuration = space is null ? ParameterSet.FromJson(reader.GetString(1)) : ParameterSet.FromJson(reader.GetString(1), space);
                }
                catch (Exception error) when (error is ArgumentException or JsonException or KeyNotFoundException)
                {
                    throw new ExperimentStorageException($"Trial {number} in '{Location}' does not fit the search space: {error.Message}", error);
                }
                trials.Add(new TrialRecord
                {
                    Number = number,
                    Configuration = configuration,
                    State = (TrialState)reader.GetInt64(2),
                    Origin = (TrialOrigin)reader.GetInt64(3),
                    RetryOf = reader.IsDBNull(4) ? null : reader.GetInt32(4),
                    Value = reader.IsDBNull(5) ? null : reader.GetDouble(5),
                    ValueStd = reader.IsDBNull(6) ? null : reader.GetDouble(6),
                    FoldValues = (JsonSerializer.Deserialize<double?[]>(reader.GetString(7)) ?? Array.Empty<double?>()).Select(v => v ?? double.NaN).ToArray(),
                    Metrics = ReadDictionary(reader.GetString(8)),
                    Intermediate = ReadDictionary(reader.GetString(9)).ToDictionary(p => int.Parse(p.Key, CultureInfo.InvariantCulture), p => p.Value),
                    Started = DateTimeOffset.Parse(reader.GetString(10), CultureInfo.InvariantCulture),
                    Duration = TimeSpan.FromSeconds(reader.GetDouble(11)),
                    PeakMemoryMb = reader.IsDBNull(12) ? null : reader.GetDouble(12),
                    Error = reader.IsDBNull(13) ? null : reader.GetString(13),
                    Diagnostics = reader.IsDBNull(14) ? null : reader.GetString(14),
                });
            }
            return trials;
        }
    }

    /// <inheritdoc/>
    public int StartTrial(ParameterSet configuration, TrialOrigin origin, int? retryOf, DateTimeOffset started)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        lock (_gate)
        {
            RequireStudy();
            using var transaction = _connection.BeginTransaction();
            using var next = Command("SELECT COALESCE(MAX(number) + 1, 0) FROM trials WHERE study_id = $study", transaction, ("$study", _studyId));
            var number = Convert.ToInt32(next.ExecuteScalar(), CultureInfo.InvariantCulture);
            using var insert = Command("INSERT INTO trials(study_id, number, params, state, origin, retry_of, folds, metrics, intermediate, started, duration_s) VALUES($study, $number, $params, $state, $origin, $retry, '[]', '{}', '{}', $started, 0)", transaction,
                ("$study", _studyId), ("$number", (long)number), ("$params", configuration.ToJson()), ("$state", (long)TrialState.Running), ("$origin", (long)origin),
                ("$retry", retryOf is { } r ? (long)r : DBNull.Value), ("$started", started.ToString("O", CultureInfo.InvariantCulture)));
            insert.ExecuteNonQuery();
            transaction.Commit();
            return number;
        }
    }

    /// <inheritdoc/>
    public void SaveIntermediate(int trialNumber, int step, double loss)
    {
        lock (_gate)
        {
            RequireStudy();
            using var transaction = _connection.BeginTransaction();
            using var read = Command("SELECT intermediate FROM trials WHERE study_id = $study AND number = $number", transaction, ("$study", _studyId), ("$number", (long)trialNumber));
            var values = ReadDictionary((string)(read.ExecuteScalar() ?? "{}"));
            values[step.ToString(CultureInfo.InvariantCulture)] = loss;
            using var write = Command("UPDATE trials SET intermediate = $values WHERE study_id = $study AND number = $number", transaction,
                ("$values", JsonSerializer.Serialize(values)), ("$study", _studyId), ("$number", (long)trialNumber));
            write.ExecuteNonQuery();
            transaction.Commit();
        }
    }

    /// <inheritdoc/>
    public void FinishTrial(TrialRecord trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        lock (_gate)
        {
            RequireStudy();
            using var command = Command("""
                UPDATE trials SET state = $state, value = $value, value_std = $std, folds = $folds, metrics = $metrics, intermediate = $intermediate,
                    duration_s = $duration, peak_mb = $peak, error = $error, diagnostics = $diagnostics WHERE study_id = $study AND number = $number
                """, null,
                ("$state", (long)trial.State), ("$value", Nullable(trial.Value)), ("$std", Nullable(trial.ValueStd)), ("$folds", JsonSerializer.Serialize(trial.FoldValues.Select(Finite))),
                ("$metrics", JsonSerializer.Serialize(trial.Metrics.ToDictionary(p => p.Key, p => Finite(p.Value)))),
                ("$intermediate", JsonSerializer.Serialize(trial.Intermediate.ToDictionary(p => p.Key.ToString(CultureInfo.InvariantCulture), p => Finite(p.Value)))),
                ("$duration", trial.Duration.TotalSeconds), ("$peak", Nullable(trial.PeakMemoryMb)), ("$error", (object?)trial.Error ?? DBNull.Value), ("$diagnostics", (object?)trial.Diagnostics ?? DBNull.Value),
                ("$study", _studyId), ("$number", (long)trial.Number));
            command.ExecuteNonQuery();
        }
    }

    /// <summary>Names of the studies in the file.</summary>
    public IReadOnlyList<string> StudyNames()
    {
        lock (_gate)
        {
            using var command = Command("SELECT name FROM studies ORDER BY id", null);
            using var reader = command.ExecuteReader();
            var names = new List<string>();
            while (reader.Read())
                names.Add(reader.GetString(0));
            return names;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_gate)
            _connection.Dispose();
    }

    /// <summary>Never write into someone else's database: an existing file must be empty (when it may be created) or ours.</summary>
    private void CheckOwnership(bool readOnly)
    {
        long tables;
        bool hasMeta;
        using (var command = Command("SELECT COUNT(*), SUM(name = 'meta') FROM sqlite_master WHERE type = 'table'", null))
        using (var reader = command.ExecuteReader())
        {
            reader.Read();
            tables = reader.GetInt64(0);
            hasMeta = !reader.IsDBNull(1) && reader.GetInt64(1) > 0;
        }
        if (tables == 0 && readOnly)
            throw new ExperimentStorageException($"'{Location}' is an SQLite database, but holds no experiment.");
        if (tables == 0)
            return;
        using var format = Command(hasMeta ? "SELECT value FROM meta WHERE key = 'format'" : "SELECT NULL", null);
        if (!hasMeta || (format.ExecuteScalar() as string) != "mltoolkit-experiment")
            throw new ExperimentStorageException($"'{Location}' is an SQLite database, but not an MlToolkit experiment store.");
    }

    private void CreateSchema()
    {
        Execute($"""
            CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
            INSERT OR IGNORE INTO meta(key, value) VALUES('format', 'mltoolkit-experiment'), ('schema_version', '{SchemaVersion}');
            CREATE TABLE IF NOT EXISTS studies(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, metric TEXT NOT NULL, maximize INTEGER NOT NULL,
                space TEXT NOT NULL, data TEXT NOT NULL, settings TEXT NOT NULL, created TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS trials(study_id INTEGER NOT NULL REFERENCES studies(id), number INTEGER NOT NULL, params TEXT NOT NULL,
                state INTEGER NOT NULL, origin INTEGER NOT NULL, retry_of INTEGER, value REAL, value_std REAL, folds TEXT NOT NULL,
                metrics TEXT NOT NULL, intermediate TEXT NOT NULL, started TEXT NOT NULL, duration_s REAL NOT NULL, peak_mb REAL, error TEXT, diagnostics TEXT,
                PRIMARY KEY(study_id, number));
            """);
    }

    private void RequireStudy()
    {
        if (_studyId < 0)
            throw new InvalidOperationException("Open a study first (OpenStudy).");
    }

    private void Execute(string sql)
    {
        using var command = Command(sql, null);
        command.ExecuteNonQuery();
    }

    private SqliteCommand Command(string sql, SqliteTransaction? transaction, params (string Name, object Value)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        return command;
    }

    private static object Nullable(double? value) => value is { } v && double.IsFinite(v) ? v : DBNull.Value;

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;

    private static Dictionary<string, double> ReadDictionary(string json) =>
        (JsonSerializer.Deserialize<Dictionary<string, double?>>(json) ?? new()).ToDictionary(p => p.Key, p => p.Value ?? double.NaN);
}
