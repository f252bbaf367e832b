using Microsoft.Data.Sqlite;

namespace MlToolkit.Tests.Support;

/// <summary>Read-only looks into an experiment's SQLite file while another process writes it.</summary>
public static class ExperimentDatabase
{
    /// <summary>What <c>PRAGMA integrity_check</c> answers for a sound file.</summary>
    public const string IntegrityOk = "ok";

    /// <summary>Trials completed, pruned or failed so far; 0 while the file or its table does not exist yet.</summary>
    public static int Finished(string db)
    {
        if (!File.Exists(db))
            return 0;
        try
        {
            return Convert.ToInt32(Scalar(db, "SELECT COUNT(*) FROM trials WHERE state IN (1, 2, 3)"));
        }
        catch (SqliteException)
        {
            return 0;
        }
    }

    public static object? Scalar(string db, string sql)
    {
        using var connection = Open(db);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public static SqliteConnection Open(string db)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = db, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }
}
