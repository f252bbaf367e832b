using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace MlToolkit.Experiments.Storage;

/// <summary>
/// Trials in an embedded SQLite file: one file per experiment, or several named studies in one file, shared by the
/// processes of one machine. The file is in write-ahead-log mode with full sync; every write is one short immediate
/// transaction (writers queue on a busy timeout), so killing a process at any moment leaves the file consistent and
/// loses only that process's running trials.
/// </summary>
public sealed class SqliteExperimentStore : SqlExperimentStore
{
    private const int SchemaVersion = 2;
    private readonly SqliteConnection _connection;

    /// <summary>Opens (or creates) the file at <paramref name="path"/>.</summary>
    /// <exception cref="ExperimentStorageException">The file is not an MlToolkit experiment database, or cannot be opened.</exception>
    public SqliteExperimentStore(string path)
        : this(path, readOnly: false)
    {
    }

    private SqliteExperimentStore(string path, bool readOnly)
        : base(Path.GetFullPath(path ?? throw new ArgumentNullException(nameof(path))))
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (readOnly && (!File.Exists(Location) || new FileInfo(Location).Length == 0))
            throw new ExperimentStorageException($"'{Location}' is not an experiment store: {(File.Exists(Location) ? "the file is empty" : "no such file")}.");
        var folder = Path.GetDirectoryName(Location);
        if (!readOnly && !string.IsNullOrEmpty(folder))
            Directory.CreateDirectory(folder);
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Location, Pooling = false, Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate, DefaultTimeout = 60,
        }.ToString());
        try
        {
            _connection.Open();
            // Other writers may hold the file right now: wait for them rather than fail.
            Run("PRAGMA busy_timeout=60000;");
            // Whose database it is comes first: a foreign file is refused before any setting of ours changes it.
            CheckOwnership(readOnly);
            if (!readOnly)
            {
                Run("PRAGMA journal_mode=WAL;");
                CreateSchema();
            }
            Run("PRAGMA synchronous=NORMAL;");
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

    private protected override DbConnection Connection => _connection;

    private protected override (string Studies, string Trials, string Meta) Tables => ("studies", "trials", "meta");

    // Immediate: the write lock is taken at BEGIN, so two writers never both read the same next number.
    private protected override DbTransaction BeginWrite(long studyId) => _connection.BeginTransaction(deferred: false);

    private protected override bool IsStorageError(Exception error) => error is SqliteException;

    /// <summary>Never write into someone else's database: an existing file must be empty (when it may be created) or ours.</summary>
    private void CheckOwnership(bool readOnly)
    {
        long tables;
        bool hasMeta;
        using (var command = _connection.CreateCommand())
        {
            command.CommandText = "SELECT COUNT(*), SUM(name = 'meta') FROM sqlite_master WHERE type = 'table'";
            using var reader = command.ExecuteReader();
            reader.Read();
            tables = reader.GetInt64(0);
            hasMeta = !reader.IsDBNull(1) && reader.GetInt64(1) > 0;
        }
        if (tables == 0 && readOnly)
            throw new ExperimentStorageException($"'{Location}' is an SQLite database, but holds no experiment.");
        if (tables == 0)
            return;
        using var format = _connection.CreateCommand();
        format.CommandText = hasMeta ? "SELECT value FROM meta WHERE key = 'format'" : "SELECT NULL";
        if (!hasMeta || (format.ExecuteScalar() as string) != "mltoolkit-experiment")
            throw new ExperimentStorageException($"'{Location}' is an SQLite database, but not an MlToolkit experiment store.");
    }

    /// <summary>Creates the schema, or migrates a version-1 file (one writer, no heartbeats) in place.</summary>
    private void CreateSchema()
    {
        using var transaction = _connection.BeginTransaction(deferred: false);
        Run($"""
            CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
            INSERT OR IGNORE INTO meta(key, value) VALUES('format', 'mltoolkit-experiment'), ('schema_version', '{SchemaVersion}');
            CREATE TABLE IF NOT EXISTS studies(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, metric TEXT NOT NULL, maximize INTEGER NOT NULL,
                space TEXT NOT NULL, data TEXT NOT NULL, settings TEXT NOT NULL, created TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS trials(study_id INTEGER NOT NULL REFERENCES studies(id), number INTEGER NOT NULL, params TEXT NOT NULL,
                state INTEGER NOT NULL, origin INTEGER NOT NULL, retry_of INTEGER, value REAL, value_std REAL, folds TEXT NOT NULL,
                metrics TEXT NOT NULL, intermediate TEXT NOT NULL, started TEXT NOT NULL, duration_s REAL NOT NULL, peak_mb REAL, error TEXT, diagnostics TEXT,
                owner TEXT, heartbeat REAL, PRIMARY KEY(study_id, number));
            """, transaction);
        using (var version = _connection.CreateCommand())
        {
            version.Transaction = transaction;
            version.CommandText = "SELECT value FROM meta WHERE key = 'schema_version'";
            var stored = version.ExecuteScalar() as string;
            if (stored == "1")
                Run($"ALTER TABLE trials ADD COLUMN owner TEXT; ALTER TABLE trials ADD COLUMN heartbeat REAL; UPDATE meta SET value = '{SchemaVersion}' WHERE key = 'schema_version';", transaction);
            else if (stored != SchemaVersion.ToString(System.Globalization.CultureInfo.InvariantCulture))
                throw new ExperimentStorageException($"'{Location}' holds experiment schema version {stored}; this MlToolkit reads versions 1 and {SchemaVersion}.");
        }
        // After a version-1 file gained its columns: what claiming and the trial cap look up.
        Run("CREATE INDEX IF NOT EXISTS trials_state ON trials(study_id, state); CREATE INDEX IF NOT EXISTS trials_retry ON trials(study_id, retry_of);", transaction);
        transaction.Commit();
    }

    private void Run(string sql, SqliteTransaction? transaction = null)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }
}
