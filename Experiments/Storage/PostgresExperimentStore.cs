using System.Data.Common;
using Npgsql;

namespace MlToolkit.Experiments.Storage;

/// <summary>
/// Trials in a PostgreSQL database, for one study run by processes on many machines. Tables are prefixed
/// <c>mltoolkit_</c> (so the store can share a database), created on first use and versioned. Each write is a short
/// transaction that locks the study's row, so numbering, claiming and the trial cap are atomic across writers.
/// </summary>
public sealed class PostgresExperimentStore : SqlExperimentStore
{
    private const int SchemaVersion = 2;
    private readonly NpgsqlConnection _connection;

    /// <summary>
    /// Connects with <paramref name="connection"/>: a URI (<c>postgresql://user@host:port/database</c>) or Npgsql's
    /// keywords (<c>Host=…;Username=…</c>). What it leaves out comes from the standard <c>PG*</c> environment variables
    /// (<c>PGHOST</c>, <c>PGPORT</c>, <c>PGDATABASE</c>, <c>PGUSER</c>, <c>PGPASSWORD</c>, <c>PGPASSFILE</c>) or
    /// <c>~/.pgpass</c>; <see cref="IExperimentStore.Location"/> never shows the password.
    /// </summary>
    /// <exception cref="ExperimentStorageException">The server cannot be reached, refuses the login, or the database holds other tables by our names.</exception>
    public PostgresExperimentStore(string connection)
        : this(PostgresConnectionString.Parse(connection))
    {
    }

    private PostgresExperimentStore(NpgsqlConnectionStringBuilder settings)
        : base(PostgresConnectionString.Describe(settings))
    {
        _connection = new NpgsqlConnection(settings.ConnectionString);
        try
        {
            _connection.Open();
            CreateSchema();
        }
        catch (Exception error) when (error is NpgsqlException or PostgresException or TimeoutException)
        {
            _connection.Dispose();
            throw new ExperimentStorageException($"'{Location}' cannot be used as experiment storage: {error.Message}", error);
        }
        catch
        {
            _connection.Dispose();
            throw;
        }
    }

    private protected override DbConnection Connection => _connection;

    private protected override (string Studies, string Trials, string Meta) Tables => ("mltoolkit_studies", "mltoolkit_trials", "mltoolkit_meta");

    private protected override DbTransaction BeginWrite(long studyId)
    {
        var transaction = _connection.BeginTransaction();
        // Writers of one study queue on its row; other studies in the same database go on in parallel.
        using var lockStudy = new NpgsqlCommand("SELECT id FROM mltoolkit_studies WHERE id = @id FOR UPDATE", _connection, transaction);
        lockStudy.Parameters.AddWithValue("id", studyId);
        lockStudy.ExecuteNonQuery();
        return transaction;
    }

    private protected override bool IsStorageError(Exception error) => error is NpgsqlException or PostgresException;

    private void CreateSchema()
    {
        using var transaction = _connection.BeginTransaction();
        // Two processes creating the schema at once would race on CREATE TABLE IF NOT EXISTS: serialize them.
        Run("SELECT pg_advisory_xact_lock(727274601)", transaction);
        Run($"""
            CREATE TABLE IF NOT EXISTS mltoolkit_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
            INSERT INTO mltoolkit_meta(key, value) VALUES('format', 'mltoolkit-experiment'), ('schema_version', '{SchemaVersion}') ON CONFLICT(key) DO NOTHING;
            CREATE TABLE IF NOT EXISTS mltoolkit_studies(id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name TEXT NOT NULL UNIQUE, metric TEXT NOT NULL,
                maximize BIGINT NOT NULL, space TEXT NOT NULL, data TEXT NOT NULL, settings TEXT NOT NULL, created TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS mltoolkit_trials(study_id BIGINT NOT NULL REFERENCES mltoolkit_studies(id), number INTEGER NOT NULL, params TEXT NOT NULL,
                state BIGINT NOT NULL, origin BIGINT NOT NULL, retry_of INTEGER, value DOUBLE PRECISION, value_std DOUBLE PRECISION, folds TEXT NOT NULL,
                metrics TEXT NOT NULL, intermediate TEXT NOT NULL, started TEXT NOT NULL, duration_s DOUBLE PRECISION NOT NULL, peak_mb DOUBLE PRECISION,
                error TEXT, diagnostics TEXT, owner TEXT, heartbeat DOUBLE PRECISION, PRIMARY KEY(study_id, number));
            CREATE INDEX IF NOT EXISTS mltoolkit_trials_state ON mltoolkit_trials(study_id, state);
            CREATE INDEX IF NOT EXISTS mltoolkit_trials_retry ON mltoolkit_trials(study_id, retry_of);
            """, transaction);
        using (var check = new NpgsqlCommand("SELECT (SELECT value FROM mltoolkit_meta WHERE key = 'format'), (SELECT value FROM mltoolkit_meta WHERE key = 'schema_version')", _connection, transaction))
        using (var reader = check.ExecuteReader())
        {
            reader.Read();
            var format = reader.IsDBNull(0) ? null : reader.GetString(0);
            var version = reader.IsDBNull(1) ? null : reader.GetString(1);
            if (format != "mltoolkit-experiment")
                throw new ExperimentStorageException($"'{Location}' has a table mltoolkit_meta that is not an MlToolkit experiment store's.");
            if (version != SchemaVersion.ToString(System.Globalization.CultureInfo.InvariantCulture))
                throw new ExperimentStorageException($"'{Location}' holds experiment schema version {version}; this MlToolkit reads version {SchemaVersion}.");
        }
        transaction.Commit();
    }

    private void Run(string sql, NpgsqlTransaction transaction)
    {
        using var command = new NpgsqlCommand(sql, _connection, transaction);
        command.ExecuteNonQuery();
    }
}
