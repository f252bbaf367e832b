using System.Text.Json.Nodes;

namespace MlToolkit.NotebookRunner;

/// <summary>One event the kernel wrote on its standard output, for the command whose token it names.</summary>
/// <param name="Type">Its <c>eventType</c>: CommandSucceeded, CommandFailed, StandardOutputValueProduced, ...</param>
/// <param name="Token">The token of the command it belongs to.</param>
/// <param name="Body">Its <c>event</c> object.</param>
public sealed record KernelEvent(string Type, string Token, JsonObject Body)
{
    /// <summary>Parses one line of the kernel's output; null for lines that are no event (its banner).</summary>
    public static KernelEvent? Parse(string line)
    {
        if (!line.StartsWith('{'))
            return null;
        try
        {
            var node = JsonNode.Parse(line) as JsonObject;
            if (node?["eventType"]?.GetValue<string>() is not { } type || node["event"] is not JsonObject body)
                return null;
            return new KernelEvent(type, node["command"]?["token"]?.GetValue<string>() ?? "", body);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>Whether this event ends the command with <paramref name="token"/>.</summary>
    public bool Ends(string token) => Token == token && Type is "CommandSucceeded" or "CommandFailed";

    /// <summary>Whether this event belongs to <paramref name="token"/> or to a command it caused.</summary>
    public bool BelongsTo(string token) => Token == token || Token.StartsWith(token + ".", StringComparison.Ordinal);
}
