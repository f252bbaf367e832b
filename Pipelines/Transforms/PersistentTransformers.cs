using System.Text.Json.Nodes;
using Microsoft.ML;
using MlToolkit.Pipelines.Dates;
using MlToolkit.Pipelines.Text;

namespace MlToolkit.Pipelines.Transforms;

/// <summary>
/// The transformers of our own kind (<see cref="ColumnAddingTransformer"/>) that save as JSON state, by kind name:
/// the built-in ones and those a user registers (<see cref="Register"/>) from any assembly. Loading a model only ever
/// calls a registered loader, whatever the file says.
/// </summary>
public static class PersistentTransformers
{
    private static readonly object Gate = new();
    private static readonly Dictionary<string, Func<JsonObject, ITransformer>> Loaders = new(StringComparer.Ordinal)
    {
        [TokenIdTransformer.Kind] = TokenIdTransformer.Load,
        [DateTimePartsTransformer.Kind] = DateTimePartsTransformer.Load,
    };

    /// <summary>Registers how to rebuild a transformer saved as <paramref name="kind"/> (the kind its <c>SaveState</c> returns).</summary>
    /// <exception cref="ArgumentException">The kind is already registered with another loader.</exception>
    public static void Register(string kind, Func<JsonObject, ITransformer> load)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ArgumentNullException.ThrowIfNull(load);
        lock (Gate)
        {
            if (Loaders.TryGetValue(kind, out var existing) && existing != load)
                throw new ArgumentException($"Transformer kind '{kind}' is already registered.", nameof(kind));
            Loaders[kind] = load;
        }
    }

    /// <summary>Rebuilds a transformer saved as <paramref name="kind"/> with <paramref name="state"/>.</summary>
    /// <exception cref="Persistence.ModelFormatException">Unknown kind or invalid state.</exception>
    public static ITransformer Load(string kind, JsonObject state)
    {
        Func<JsonObject, ITransformer>? load;
        string known;
        lock (Gate)
        {
            Loaders.TryGetValue(kind, out load);
            known = string.Join(", ", Loaders.Keys.Order(StringComparer.Ordinal));
        }
        return load is not null ? load(state)
            : throw new Persistence.ModelFormatException($"Unknown transformer kind '{kind}' (registered: {known}); register its loader with PersistentTransformers.Register(\"{kind}\", ...) before loading, or was the model saved by a newer MlToolkit?");
    }
}
