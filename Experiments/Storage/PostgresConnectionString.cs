using System.Globalization;
using Npgsql;

namespace MlToolkit.Experiments.Storage;

/// <summary>
/// Reads the connection strings users write for PostgreSQL: libpq's URI form or Npgsql's keywords, completed from the
/// standard <c>PG*</c> environment variables as libpq does. Describes a connection without its password.
/// </summary>
public static class PostgresConnectionString
{
    /// <summary>True when <paramref name="storage"/> names a PostgreSQL database rather than a file.</summary>
    public static bool IsPostgres(string storage) =>
        storage.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || storage.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
        || storage.Contains("Host=", StringComparison.OrdinalIgnoreCase);

    /// <summary>Npgsql settings for <paramref name="connection"/>.</summary>
    /// <exception cref="ExperimentStorageException">The string is not a valid URI or keyword list.</exception>
    public static NpgsqlConnectionStringBuilder Parse(string connection)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connection);
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = connection.Contains("://", StringComparison.Ordinal) ? FromUri(connection) : new NpgsqlConnectionStringBuilder(connection);
        }
        catch (Exception error) when (error is ArgumentException or UriFormatException or FormatException)
        {
            throw new ExperimentStorageException($"'{Redact(connection)}' is not a PostgreSQL connection string (expected postgresql://user@host:port/database or Host=...;Username=...): {error.Message}", error);
        }
        FillFromEnvironment(builder);
        // Trials are short transactions on one connection per writer; a writer must not hang forever on a dead server.
        if (builder.Timeout == 15)
            builder.Timeout = 30;
        builder.ApplicationName ??= "mltoolkit";
        return builder;
    }

    /// <summary><c>postgresql://user@host:port/database</c>, never the password.</summary>
    public static string Describe(NpgsqlConnectionStringBuilder settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var user = string.IsNullOrEmpty(settings.Username) ? "" : Uri.EscapeDataString(settings.Username) + "@";
        var host = settings.Host ?? "localhost";
        var port = settings.Port == NpgsqlConnection.DefaultPort ? "" : string.Create(CultureInfo.InvariantCulture, $":{settings.Port}");
        return $"postgresql://{user}{host}{port}/{settings.Database}";
    }

    private static NpgsqlConnectionStringBuilder FromUri(string text)
    {
        var uri = new Uri(text);
        if (uri.Scheme is not ("postgresql" or "postgres"))
            throw new FormatException($"the scheme is '{uri.Scheme}', not postgresql");
        var builder = new NpgsqlConnectionStringBuilder();
        if (!string.IsNullOrEmpty(uri.Host))
            builder.Host = uri.Host;
        if (!uri.IsDefaultPort && uri.Port > 0)
            builder.Port = uri.Port;
        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
            builder.Database = database;
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2)
                builder.Password = Uri.UnescapeDataString(parts[1]);
        }
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var (key, value) = pair.Split('=', 2) is [var k, var v] ? (Uri.UnescapeDataString(k), Uri.UnescapeDataString(v)) : (pair, "");
            switch (key.ToLowerInvariant())
            {
                case "sslmode":
                    builder.SslMode = Enum.Parse<SslMode>(value.Replace("-", "", StringComparison.Ordinal), ignoreCase: true);
                    break;
                case "host":
                    builder.Host = value;
                    break;
                case "connect_timeout":
                    builder.Timeout = int.Parse(value, CultureInfo.InvariantCulture);
                    break;
                case "application_name":
                    builder.ApplicationName = value;
                    break;
                default:
                    throw new FormatException($"unknown parameter '{key}'");
            }
        }
        return builder;
    }

    private static void FillFromEnvironment(NpgsqlConnectionStringBuilder builder)
    {
        builder.Host ??= Environment.GetEnvironmentVariable("PGHOST") ?? "localhost";
        if (Environment.GetEnvironmentVariable("PGPORT") is { } port && builder.Port == NpgsqlConnection.DefaultPort)
            builder.Port = int.Parse(port, CultureInfo.InvariantCulture);
        builder.Username ??= Environment.GetEnvironmentVariable("PGUSER") ?? Environment.UserName;
        builder.Database ??= Environment.GetEnvironmentVariable("PGDATABASE") ?? builder.Username;
        builder.Password ??= Environment.GetEnvironmentVariable("PGPASSWORD");
        builder.Passfile ??= Environment.GetEnvironmentVariable("PGPASSFILE");
    }

    private static string Redact(string connection)
    {
        var redacted = System.Text.RegularExpressions.Regex.Replace(connection, @"(://[^:/@]*):[^@]*@", "$1:***@");
        return System.Text.RegularExpressions.Regex.Replace(redacted, @"(?i)(password\s*=\s*)[^;]*", "$1***");
    }
}
