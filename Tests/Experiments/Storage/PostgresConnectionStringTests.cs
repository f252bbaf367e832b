using MlToolkit.Experiments.Storage;

namespace MlToolkit.Tests.Experiments.Storage;

/// <summary>Connection strings as users write them, and what is shown of them (never a password).</summary>
public sealed class PostgresConnectionStringTests
{
    [Fact]
    public void A_uri_gives_host_port_user_database_and_password_and_is_described_without_the_password()
    {
        var settings = PostgresConnectionString.Parse("postgresql://ana:s3cr%40t@db.example:6543/studies?sslmode=require");
        Assert.Equal(("db.example", 6543, "ana", "studies", "s3cr@t", Npgsql.SslMode.Require),
            (settings.Host, settings.Port, settings.Username, settings.Database, settings.Password, settings.SslMode));
        Assert.Equal("postgresql://ana@db.example:6543/studies", PostgresConnectionString.Describe(settings));
    }

    [Fact]
    public void Keywords_are_read_as_npgsql_reads_them()
    {
        var settings = PostgresConnectionString.Parse("Host=10.0.0.5;Username=ml;Database=runs;Password=pw");
        Assert.Equal("postgresql://ml@10.0.0.5/runs", PostgresConnectionString.Describe(settings));
        Assert.True(PostgresConnectionString.IsPostgres("Host=10.0.0.5;Username=ml"));
        Assert.True(PostgresConnectionString.IsPostgres("postgres://h/db"));
        Assert.False(PostgresConnectionString.IsPostgres("runs/experiment.db"));
    }

    [Fact]
    public void A_malformed_string_is_refused_without_showing_its_password()
    {
        var error = Assert.Throws<ExperimentStorageException>(() => PostgresConnectionString.Parse("postgresql://ana:hunter2@db.example/studies?pool=yes"));
        Assert.Equal("'postgresql://ana:***@db.example/studies?pool=yes' is not a PostgreSQL connection string (expected postgresql://user@host:port/database or Host=...;Username=...): unknown parameter 'pool'", error.Message);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }
}
