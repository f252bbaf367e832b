using Xunit.Abstractions;
using Xunit.Sdk;

namespace MlToolkit.Tests.Support;

/// <summary>
/// The PostgreSQL server the tests use: the connection string in <c>MLTOOLKIT_TEST_POSTGRES</c> (and the password in
/// <c>PGPASSWORD</c>), which .ci/run sets after starting a throwaway cluster on loopback.
/// </summary>
public static class PostgresServer
{
    public const string Variable = "MLTOOLKIT_TEST_POSTGRES";

    public static string? Configured => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    public static string ConnectionString => Configured
        ?? throw new InvalidOperationException($"{Variable} is not set: .ci/run starts a PostgreSQL server and sets it.");

    public const string SkipReason = $"needs a PostgreSQL server: set {Variable} (and PGPASSWORD) as .ci/run does after starting a throwaway cluster";
}

/// <summary>A fact that needs the PostgreSQL server: skipped, with the reason, when none is configured.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PostgresServer.Configured is null)
            Skip = PostgresServer.SkipReason;
    }
}

/// <summary>
/// A fact of a conformance suite run against several stores: in a class whose name says Postgres, skipped (with the
/// reason) when no server is configured; everywhere else a plain fact.
/// </summary>
[XunitTestCaseDiscoverer("MlToolkit.Tests.Support.StoreFactDiscoverer", "MlToolkit.Tests")]
public sealed class StoreFactAttribute : FactAttribute
{
}

/// <summary>Finds <see cref="StoreFactAttribute"/> tests and skips the PostgreSQL ones without a server.</summary>
public sealed class StoreFactDiscoverer(IMessageSink diagnostics) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        var display = discoveryOptions.MethodDisplayOrDefault();
        var displayOptions = discoveryOptions.MethodDisplayOptionsOrDefault();
        if (testMethod.TestClass.Class.Name.Contains("Postgres", StringComparison.Ordinal) && PostgresServer.Configured is null)
            return new[] { new XunitSkippedDataRowTestCase(diagnostics, display, displayOptions, testMethod, PostgresServer.SkipReason) };
        return new[] { new XunitTestCase(diagnostics, display, displayOptions, testMethod) };
    }
}
