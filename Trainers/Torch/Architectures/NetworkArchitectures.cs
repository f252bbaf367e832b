using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using MlToolkit.Pipelines.Persistence;

namespace MlToolkit.Trainers.Torch.Architectures;

/// <summary>
/// The network architectures a model file may name, by a stable kind name: the built-in ones and those a user
/// registers (<see cref="Register{T}"/>) from any assembly. Loading constructs only registered types, never a type
/// the file names, and an unregistered kind is a clear <see cref="ModelFormatException"/>.
/// </summary>
public static class NetworkArchitectures
{
    private static readonly object Gate = new();
    private static readonly Dictionary<string, Type> ByKind = new(StringComparer.Ordinal)
    {
        ["mlp"] = typeof(MlpArchitecture),
        ["cnn"] = typeof(CnnArchitecture),
        ["rnn"] = typeof(RnnArchitecture),
        ["transformer"] = typeof(TransformerArchitecture),
        ["nearest-neighbors"] = typeof(Neighbors.NearestNeighborsArchitecture),
        ["kernel-machine"] = typeof(Kernels.KernelMachineArchitecture),
        ["forest"] = typeof(Forests.ForestArchitecture),
    };

    /// <summary>The registered kind names.</summary>
    public static IReadOnlyCollection<string> Kinds
    {
        get
        {
            lock (Gate)
                return ByKind.Keys.Order(StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>Registers <typeparamref name="T"/> under <paramref name="kind"/>, so that pipelines holding it save and load.</summary>
    /// <exception cref="ArgumentException">The kind is taken by another type, or the type is registered under another kind.</exception>
    public static void Register<T>(string kind)
        where T : NetworkArchitecture
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        lock (Gate)
        {
            if (ByKind.TryGetValue(kind, out var existing))
            {
                if (existing == typeof(T))
                    return;
                throw new ArgumentException($"Architecture kind '{kind}' is already registered for {existing.FullName}.", nameof(kind));
            }
            if (ByKind.FirstOrDefault(p => p.Value == typeof(T)).Key is { } other)
                throw new ArgumentException($"{typeof(T).FullName} is already registered as '{other}'.", nameof(kind));
            ByKind[kind] = typeof(T);
        }
    }

    internal static string KindOf(Type type)
    {
        lock (Gate)
        {
            return ByKind.FirstOrDefault(p => p.Value == type).Key
                ?? throw new NotSupportedException($"Network architecture {type.FullName} is not registered, so a model holding it cannot be saved; call NetworkArchitectures.Register<{type.Name}>(\"a-kind-name\") once before saving and before loading.");
        }
    }

    internal static Type TypeOf(string kind)
    {
        lock (Gate)
        {
            return ByKind.TryGetValue(kind, out var type) ? type
                : throw new ModelFormatException($"Unknown network architecture kind '{kind}' (registered: {string.Join(", ", ByKind.Keys.Order(StringComparer.Ordinal))}); register its type with NetworkArchitectures.Register<T>(\"{kind}\") before loading.");
        }
    }
}

/// <summary>Writes an architecture as its registered kind plus its properties, and reads it back through the registry.</summary>
internal sealed class NetworkArchitectureConverter : JsonConverter<NetworkArchitecture>
{
    private const string KindProperty = "kind";

    public override bool CanConvert(Type typeToConvert) => typeToConvert == typeof(NetworkArchitecture);

    public override NetworkArchitecture? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var node = JsonNode.Parse(ref reader) as JsonObject ?? throw new JsonException("A network architecture must be a JSON object.");
        var kind = node[KindProperty]?.GetValue<string>() ?? throw new JsonException($"The network architecture has no '{KindProperty}'.");
        node.Remove(KindProperty);
        return (NetworkArchitecture?)node.Deserialize(NetworkArchitectures.TypeOf(kind), options);
    }

    public override void Write(Utf8JsonWriter writer, NetworkArchitecture value, JsonSerializerOptions options)
    {
        var node = JsonSerializer.SerializeToNode(value, value.GetType(), options)!.AsObject();
        node.Insert(0, KindProperty, NetworkArchitectures.KindOf(value.GetType()));
        node.WriteTo(writer, options);
    }
}
