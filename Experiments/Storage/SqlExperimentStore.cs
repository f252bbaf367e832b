using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using MlToolkit.Experiments.Tuning;
using MlToolkit.Experiments.Tuning.SearchSpaces;

namespace MlToolkit.Experiments.Storage;

/// <summary>
/// What the SQLite and PostgreSQL stores share: one schema (tables named by the dialect), the same statements, and
/// the rules of a shared study. Every write is one short transaction that first locks the study (the database file
/// in SQLite, the study's row in PostgreSQL), so numbering, claiming, the trial cap and retries of stale trials are
/// atomic across processes and machines.
/// </summary>
public abstract class SqlExperimentStore : IExperimentStore
{
    private const string ProcessEnded = "The process ended while this trial was running.";
    private const string Columns = "number, params, state, origin, retry_of, value, value_std, folds, metrics, intermediate, started, duration_s, peak_mb, error, diagnostics";
    private readonly object _gate = new();
    private long _studyId = -1;

    private protected SqlExperimentStore(string location) => Location = location;

    /// <inheritdoc/>
    public string Location { get; }

    private protected abstract DbConnection Connection { get; }

    /// <summary>Table names: <c>Studies</c>, <c>Trials</c>, <c>Meta</c>.</summary>
    private protected abstract (string Studies, string Trials, string Meta) Tables { get; }

    /// <summary>Begins a write transaction that excludes every other writer of the study until it ends.</summary>
    private protected abstract DbTransaction BeginWrite(long studyId);

    /// <summary>Turns a provider's error into a storage error naming the store (e.g. a lost connection).</summary>
    private protected abstract bool IsStorageError(Exception error);

    /// <inheritdoc/>
    public bool OpenStudy(StudyDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return Guarded(() =>
        {
            using (var insert = Command($"INSERT INTO {Tables.Studies}(name, metric, maximize, space, data, settings, created) VALUES(@name, @metric, @max, @space, @data, @settings, @created) ON CONFLICT(name) DO NOTHING", null,
                ("@name", definition.Name), ("@metric", definition.Metric), ("@max", definition.Maximize ? 1L : 0L), ("@space", definition.SearchSpace), ("@data", definition.Data),
                ("@settings", definition.Settings), ("@created", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture))))
            {
                if (insert.ExecuteNonQuery() == 1)
                {
                    _studyId = FindStudy(definition.Name)!.Value.Id;
                    return false;
                }
            }
            var (id, stored) = FindStudy(definition.Name)!.Value;
            StudyCompatibility.Check(stored, definition, Location);
            _studyId = id;
            return true;
        });
    }

    /// <inheritdoc/>
    public IReadOnlyList<TrialRecord> LoadTrials(SearchSpace space)
    {
        ArgumentNullException.ThrowIfNull(space);
        return Guarded(() => Load(space, null));
    }

    /// <summary>
    /// Opens study <paramref name="name"/> for a report: its definition and every trial, configurations read as stored
    /// (no search space to check them against).
    /// </summary>
    /// <exception cref="ExperimentStorageException">No such study; the message lists the studies in the store.</exception>
    public (StudyDefinition Study, IReadOnlyList<TrialRecord> Trials) ReadStudy(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return Guarded(() =>
        {
            if (FindStudy(name) is not { } found)
            {
                var names = StudyNames();
                throw new ExperimentStorageException(names.Count == 0
                    ? $"'{Location}' holds no study yet."
                    : $"'{Location}' has no study '{name}'. Studies: {string.Join(", ", names)}.");
            }
            _studyId = found.Id;
            return (found.Study, Load(null, null));
        });
    }

    /// <summary>Names of the studies in the store.</summary>
    public IReadOnlyList<string> StudyNames() => Guarded(() =>
    {
        using var command = Command($"SELECT name FROM {Tables.Studies} ORDER BY id", null);
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
            names.Add(reader.GetString(0));
        return names;
    });

    /// <inheritdoc/>
    public int? EnqueueTrial(ParameterSet configuration, TrialOrigin origin, int? retryOf, int? maxTrials, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return Write(transaction =>
        {
            var duplicate = retryOf is { } retried
                ? Scalar(transaction, $"SELECT COUNT(*) FROM {Tables.Trials} WHERE study_id = @study AND retry_of = @retry", ("@retry", (long)retried)) > 0
                : origin == TrialOrigin.Enqueued && Scalar(transaction, $"SELECT COUNT(*) FROM {Tables.Trials} WHERE study_id = @study AND params = @params", ("@params", configuration.ToJson())) > 0;
            if (duplicate || (maxTrials is { } max && CountedTrials(transaction) >= max))
                return (int?)null;
            var number = NextNumber(transaction);
            Insert(transaction, number, configuration, TrialState.Waiting, origin, retryOf, now, owner: null);
            return number;
        });
    }

    /// <inheritdoc/>
    public TrialStart StartTrial(SearchSpace space, TrialClaim claim, int? maxTrials, Func<int, ParameterSet?> propose)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(propose);
        return Write(transaction =>
        {
            var waiting = Scalar(transaction, $"SELECT COALESCE(MIN(number), -1) FROM {Tables.Trials} WHERE study_id = @study AND state = @waiting", ("@waiting", (long)TrialState.Waiting));
            if (waiting >= 0)
            {
                Execute(transaction, $"UPDATE {Tables.Trials} SET state = @running, owner = @owner, heartbeat = @now, started = @started WHERE study_id = @study AND number = @number",
                    ("@running", (long)TrialState.Running), ("@owner", claim.Owner), ("@now", UnixSeconds(claim.Now)), ("@started", Text(claim.Now)), ("@number", waiting));
                return new TrialStart(Load(space, (int)waiting, transaction).Single());
            }
            if (maxTrials is { } max && CountedTrials(transaction) >= max)
                return new TrialStart(null, CapReached: true);
            var number = NextNumber(transaction);
            var configuration = StudyRules.ProposeUnlessTaken(number, propose, candidate => Scalar(transaction, $"""
                SELECT COUNT(*) FROM {Tables.Trials} WHERE study_id = @study AND params = @params AND state IN (@running, @complete, @pruned, @waiting)
                    AND (owner IS NULL OR owner <> @owner)
                """, ("@params", candidate.ToJson()), ("@running", (long)TrialState.Running), ("@complete", (long)TrialState.Complete),
                ("@pruned", (long)TrialState.Pruned), ("@waiting", (long)TrialState.Waiting), ("@owner", claim.Owner)) > 0);
            if (configuration is null)
                return new TrialStart(null, Exhausted: true);
            Insert(transaction, number, configuration, TrialState.Running, TrialOrigin.Tuner, null, claim.Now, claim.Owner);
            return new TrialStart(new TrialRecord { Number = number, Configuration = configuration, State = TrialState.Running, Origin = TrialOrigin.Tuner, Started = claim.Now });
        });
    }

    /// <inheritdoc/>
    public void Heartbeat(IReadOnlyCollection<int> trialNumbers, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(trialNumbers);
        if (trialNumbers.Count == 0)
            return;
        Write(transaction =>
        {
            foreach (var number in trialNumbers)
                Execute(transaction, $"UPDATE {Tables.Trials} SET heartbeat = @now WHERE study_id = @study AND number = @number AND state = @running",
                    ("@now", UnixSeconds(now)), ("@number", (long)number), ("@running", (long)TrialState.Running));
            return 0;
        });
    }

    /// <inheritdoc/>
    public IReadOnlyList<int> FailStaleTrials(DateTimeOffset staleBefore, Func<string, bool> ownerIsGone)
    {
        ArgumentNullException.ThrowIfNull(ownerIsGone);
        return Write(transaction =>
        {
            var running = new List<(int Number, string Owner, double Heartbeat, TrialOrigin Origin, string Params)>();
            using (var command = Command($"SELECT number, owner, heartbeat, origin, params FROM {Tables.Trials} WHERE study_id = @study AND state = @running ORDER BY number", transaction, ("@running", (long)TrialState.Running)))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                    running.Add((Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture), reader.IsDBNull(1) ? "" : reader.GetString(1),
                        reader.IsDBNull(2) ? 0 : reader.GetDouble(2), (TrialOrigin)Convert.ToInt64(reader.GetValue(3), CultureInfo.InvariantCulture), reader.GetString(4)));
            }
            var failed = new List<int>();
            foreach (var trial in running)
            {
                var gone = ownerIsGone(trial.Owner);
                if (!gone && trial.Heartbeat >= UnixSeconds(staleBefore))
                    continue;
                var error = gone ? ProcessEnded : StaleTrials.Message(trial.Heartbeat, staleBefore);
                Execute(transaction, $"UPDATE {Tables.Trials} SET state = @failed, error = @error WHERE study_id = @study AND number = @number",
                    ("@failed", (long)TrialState.Failed), ("@error", error), ("@number", (long)trial.Number));
                failed.Add(trial.Number);
                if (trial.Origin != TrialOrigin.Retry)
                    Insert(transaction, NextNumber(transaction), ParameterSet.FromJson(trial.Params), TrialState.Waiting, TrialOrigin.Retry, trial.Number, staleBefore, owner: null);
            }
            return (IReadOnlyList<int>)failed;
        });
    }

    /// <inheritdoc/>
    public void SaveIntermediate(int trialNumber, int step, double loss) => Write(transaction =>
    {
        var json = Command($"SELECT intermediate FROM {Tables.Trials} WHERE study_id = @study AND number = @number", transaction, ("@number", (long)trialNumber));
        var values = ReadDictionary((string)(json.ExecuteScalar() ?? "{}"));
        json.Dispose();
        values[step.ToString(CultureInfo.InvariantCulture)] = loss;
        Execute(transaction, $"UPDATE {Tables.Trials} SET intermediate = @values WHERE study_id = @study AND number = @number",
            ("@values", JsonSerializer.Serialize(values.ToDictionary(p => p.Key, p => Finite(p.Value)))), ("@number", (long)trialNumber));
        return 0;
    });

    /// <inheritdoc/>
    public bool FinishTrial(TrialRecord trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        return Write(transaction => Execute(transaction, $"""
            UPDATE {Tables.Trials} SET state = @state, value = @value, value_std = @std, folds = @folds, metrics = @metrics, intermediate = @intermediate,
                duration_s = @duration, peak_mb = @peak, error = @error, diagnostics = @diagnostics WHERE study_id = @study AND number = @number AND state = @running
            """,
            ("@state", (long)trial.State), ("@value", Nullable(trial.Value)), ("@std", Nullable(trial.ValueStd)), ("@folds", JsonSerializer.Serialize(trial.FoldValues.Select(Finite))),
            ("@metrics", JsonSerializer.Serialize(trial.Metrics.ToDictionary(p => p.Key, p => Finite(p.Value)))),
            ("@intermediate", JsonSerializer.Serialize(trial.Intermediate.ToDictionary(p => p.Key.ToString(CultureInfo.InvariantCulture), p => Finite(p.Value)))),
            ("@duration", trial.Duration.TotalSeconds), ("@peak", Nullable(trial.PeakMemoryMb)), ("@error", Nullable(trial.Error)),
            ("@diagnostics", Nullable(trial.Diagnostics)), ("@number", (long)trial.Number), ("@running", (long)TrialState.Running)) == 1);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_gate)
            Connection.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Runs <paramref name="action"/> under the store's lock, turning the provider's errors into storage errors.</summary>
    private protected T Guarded<T>(Func<T> action)
    {
        lock (_gate)
        {
            try
            {
                return action();
            }
            catch (Exception error) when (error is not ExperimentStorageException && IsStorageError(error))
            {
                throw new ExperimentStorageException($"'{Location}': {error.Message}", error);
            }
        }
    }

    private T Write<T>(Func<DbTransaction, T> action) => Guarded(() =>
    {
        RequireStudy();
        using var transaction = BeginWrite(_studyId);
        var result = action(transaction);
        transaction.Commit();
        return result;
    });

    private (long Id, StudyDefinition Study)? FindStudy(string name)
    {
        using var find = Command($"SELECT id, metric, maximize, space, data, settings FROM {Tables.Studies} WHERE name = @name", null, ("@name", name));
        using var reader = find.ExecuteReader();
        if (!reader.Read())
            return null;
        return (Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture),
            new StudyDefinition(name, reader.GetString(1), Convert.ToInt64(reader.GetValue(2), CultureInfo.InvariantCulture) != 0, reader.GetString(3), reader.GetString(4), reader.GetString(5)));
    }

    private long CountedTrials(DbTransaction transaction) => Scalar(transaction, $"""
        SELECT COUNT(*) FROM {Tables.Trials} t WHERE t.study_id = @study AND t.state <> @cancelled
            AND NOT EXISTS (SELECT 1 FROM {Tables.Trials} r WHERE r.study_id = t.study_id AND r.retry_of = t.number)
        """, ("@cancelled", (long)TrialState.Cancelled));

    private int NextNumber(DbTransaction transaction) => (int)Scalar(transaction, $"SELECT COALESCE(MAX(number) + 1, 0) FROM {Tables.Trials} WHERE study_id = @study");

    private void Insert(DbTransaction transaction, int number, ParameterSet configuration, TrialState state, TrialOrigin origin, int? retryOf, DateTimeOffset started, string? owner) =>
        Execute(transaction, $"""
            INSERT INTO {Tables.Trials}(study_id, number, params, state, origin, retry_of, folds, metrics, intermediate, started, duration_s, owner, heartbeat)
            VALUES(@study, @number, @params, @state, @origin, @retry, '[]', '{"{}"}', '{"{}"}', @started, 0, @owner, @heartbeat)
            """,
            ("@number", (long)number), ("@params", configuration.ToJson()), ("@state", (long)state), ("@origin", (long)origin),
            ("@retry", retryOf is { } r ? (long)r : new TypedNull(DbType.Int64)), ("@started", Text(started)), ("@owner", Nullable(owner)),
            ("@heartbeat", owner is null ? new TypedNull(DbType.Double) : UnixSeconds(started)));

    private IReadOnlyList<TrialRecord> Load(SearchSpace? space, int? number, DbTransaction? transaction = null)
    {
        RequireStudy();
        var trials = new List<TrialRecord>();
        using var command = number is { } n
            ? Command($"SELECT {Columns} FROM {Tables.Trials} WHERE study_id = @study AND number = @number", transaction, ("@number", (long)n))
            : Command($"SELECT {Columns} FROM {Tables.Trials} WHERE study_id = @study ORDER BY number", transaction);
        using var reader = command.ExecuteReader();
        while (reader.Read())
            trials.Add(ReadTrial(reader, space));
        return trials;
    }

    private TrialRecord ReadTrial(DbDataReader reader, SearchSpace? space)
    {
        var number = Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture);
        ParameterSet configuration;
        try
        {
            configuration = space is null ? ParameterSet.FromJson(reader.GetString(1)) : ParameterSet.FromJson(reader.GetString(1), space);
        }
        catch (Exception error) when (error is ArgumentException or JsonException or KeyNotFoundException)
        {
            throw new ExperimentStorageException($"Trial {number} in '{Location}' does not fit the search space: {error.Message}", error);
        }
        return new TrialRecord
        {
            Number = number,
            Configuration = configuration,
            State = (TrialState)Convert.ToInt64(reader.GetValue(2), CultureInfo.InvariantCulture),
            Origin = (TrialOrigin)Convert.ToInt64(reader.GetValue(3), CultureInfo.InvariantCulture),
            RetryOf = reader.IsDBNull(4) ? null : Convert.ToInt32(reader.GetValue(4), CultureInfo.InvariantCulture),
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
        };
    }

    private void RequireStudy()
    {
        if (_studyId < 0)
            throw new InvalidOperationException("Open a study first (OpenStudy).");
    }

    private long Scalar(DbTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = Command(sql, transaction, parameters);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private int Execute(DbTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = Command(sql, transaction, parameters);
        return command.ExecuteNonQuery();
    }

    /// <summary>A command on the store's connection; <c>@study</c> is always bound to the open study.</summary>
    private protected DbCommand Command(string sql, DbTransaction? transaction, params (string Name, object Value)[] parameters)
    {
        var command = Connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters.Append(("@study", _studyId)))
        {
            if (!sql.Contains(name, StringComparison.Ordinal))
                continue;
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value is TypedNull ? DBNull.Value : value;
            if (value is TypedNull missing)
                parameter.DbType = missing.Type;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    private protected static double UnixSeconds(DateTimeOffset time) => time.ToUnixTimeMilliseconds() / 1000.0;

    private static string Text(DateTimeOffset time) => time.ToString("O", CultureInfo.InvariantCulture);

    private static object Nullable(double? value) => value is { } v && double.IsFinite(v) ? v : new TypedNull(DbType.Double);

    private static object Nullable(string? value) => (object?)value ?? new TypedNull(DbType.String);

    /// <summary>A SQL NULL that carries its column's type: PostgreSQL needs it to type an untyped parameter.</summary>
    private sealed record TypedNull(DbType Type);

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;

    private static Dictionary<string, double> ReadDictionary(string json) =>
        (JsonSerializer.Deserialize<Dictionary<string, double?>>(json) ?? new()).ToDictionary(p => p.Key, p => p.Value ?? double.NaN);
}

/// <summary>Rules every store applies the same way.</summary>
internal static class StudyRules
{
    /// <summary>How often a proposal another writer has already taken is replaced by a new one before it runs anyway.</summary>
    public const int ProposalAttempts = 8;

    /// <summary>
    /// Asks <paramref name="propose"/> for trial <paramref name="number"/>'s configuration, again while the answer is one
    /// another writer holds or has evaluated (<paramref name="takenElsewhere"/>): tuners of writers that start together
    /// would otherwise all run the same starting points (CFO's defaults). A tuner that keeps proposing it gets its way.
    /// </summary>
    public static ParameterSet? ProposeUnlessTaken(int number, Func<int, ParameterSet?> propose, Func<ParameterSet, bool> takenElsewhere)
    {
        var configuration = propose(number);
        for (var attempt = 1; attempt < ProposalAttempts && configuration is not null && takenElsewhere(configuration); attempt++)
        {
            var next = propose(number);
            if (next is null || next.ToJson() == configuration.ToJson())
                break;
            configuration = next;
        }
        return configuration;
    }
}

/// <summary>The words every store uses for a trial whose heartbeat stopped.</summary>
internal static class StaleTrials
{
    public static string Message(double lastHeartbeatUnixSeconds, DateTimeOffset staleBefore) => lastHeartbeatUnixSeconds <= 0
        ? "No heartbeat: the process running this trial stopped or lost the store."
        : string.Create(CultureInfo.InvariantCulture,
            $"No heartbeat since {DateTimeOffset.FromUnixTimeMilliseconds((long)(lastHeartbeatUnixSeconds * 1000)):yyyy-MM-dd HH:mm:ss}Z: the process running this trial stopped or lost the store.");
}
