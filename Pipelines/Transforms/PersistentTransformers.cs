using System.Text.Json.Nodes;
using Microsoft.ML;
using MlToolkit.Pipelines.Text;

namespace MlToolkit.Pipelines.Transforms;

/// <summary>
/// The closed set of MlToolkit transformers that save as JSON state, by kind name. Loading a model only ever
/// instantiates these types, whatever the file says.
/// </summary>
public static class PersistentTransformers
{
    private static readonly Dictionary<string, Func<JsonObject, ITransformer>> Loaders = new(StringComparer.Ordinal)
    {
        [TokenIdTransformer.Kind] = TokenIdTransformer.Load,
    };

    /// <summary>Rebuilds a transformer saved as <paramref name="kind"/> with <paramref name="state"/>.</summary>
    /// <exception cref="Persistence.ModelFormatException">Unknown kind or invalid state.</exception>
    public static ITransformer Load(string kind, JsonObject state) =>
        Loaders.TryGetValue(kind, out var load)
            ? load(state)
            : throw new Persistence.ModelFormatException($"Unknown transformer kind '{kind}' (known: {string.Join(", ", Loaders.Keys)}); was the model saved by a newer MlToolkit?");
}
