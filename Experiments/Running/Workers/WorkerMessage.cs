using System.Text.Json;
using System.Text.Json.Serialization;

namespace MlToolkit.Experiments.Running.Workers;

/// <summary>
/// One line of the protocol between the runner and a worker process: JSON on the worker's standard input and output.
/// Runner to worker: <c>trial</c> (evaluate a configuration) and <c>cancel</c>. Worker to runner: <c>ready</c> (data
/// loaded), <c>intermediate</c>, <c>outcome</c>, <c>failed</c>, and <c>fatal</c> (the worker cannot start).
/// </summary>
internal sealed record WorkerMessage
{
    public const string Trial = "trial", Cancel = "cancel", Ready = "ready", Intermediate = "intermediate", Outcome = "outcome", Failed = "failed", Fatal = "fatal";

    private static readonly JsonSerializerOptions Json = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    public required string Kind { get; init; }

    public int? Number { get; init; }

    public string? Configuration { get; init; }

    public int? Threads { get; init; }

    /// <summary>A trial request: the experiment's seconds left when it started (<see cref="TrialContext.TimeLeft"/>).</summary>
    public double? SecondsLeft { get; init; }

    public int? Step { get; init; }

    public double? Value { get; init; }

    public double[]? Folds { get; init; }

    public Dictionary<string, double>? Metrics { get; init; }

    public string? Diagnostics { get; init; }

    public bool? Cancelled { get; init; }

    public string? ErrorType { get; init; }

    public string? Message { get; init; }

    public string? Details { get; init; }

    public string ToLine() => JsonSerializer.Serialize(this, Json);

    public static WorkerMessage? Parse(string line)
    {
        try
        {
            return JsonSerializer.Deserialize<WorkerMessage>(line, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
