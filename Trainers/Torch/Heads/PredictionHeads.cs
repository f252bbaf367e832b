using MlToolkit.Data;
using MlToolkit.Pipelines.Persistence;

namespace MlToolkit.Trainers.Torch.Heads;

/// <summary>
/// The prediction heads a model file may name, by a stable kind name: the built-in ones and those a user registers
/// (<see cref="Register{T}"/>) from any assembly, with how to rebuild one from what it stored
/// (<see cref="PredictionHead.ClassNames"/> and <see cref="PredictionHead.State"/>). Loading constructs only registered
/// heads; an unregistered kind is a clear <see cref="ModelFormatException"/>.
/// </summary>
public static class PredictionHeads
{
    private static readonly object Gate = new();
    private static readonly Dictionary<string, (Type Type, Func<IReadOnlyList<string>, IReadOnlyList<double>, PredictionHead> Restore)> ByKind = new(StringComparer.Ordinal)
    {
        ["multiclass"] = (typeof(MulticlassHead), (classes, _) => new MulticlassHead(classes)),
        ["binary"] = (typeof(BinaryHead), (_, _) => new BinaryHead()),
        ["regression"] = (typeof(RegressionHead), (_, state) => state is { Count: 2 } ? new RegressionHead(state[0], state[1]) : new RegressionHead()),
    };

    /// <summary>Registers head type <typeparamref name="T"/> under <paramref name="kind"/>; <paramref name="restore"/> rebuilds it from its class names and state.</summary>
    /// <exception cref="ArgumentException">The kind is taken by another type, or the type is registered under another kind.</exception>
    public static void Register<T>(string kind, Func<IReadOnlyList<string>, IReadOnlyList<double>, T> restore)
        where T : PredictionHead
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ArgumentNullException.ThrowIfNull(restore);
        lock (Gate)
        {
            if (ByKind.TryGetValue(kind, out var existing))
            {
                if (existing.Type == typeof(T))
                    return;
                throw new ArgumentException($"Head kind '{kind}' is already registered for {existing.Type.FullName}.", nameof(kind));
            }
            if (ByKind.FirstOrDefault(p => p.Value.Type == typeof(T)).Key is { } other)
                throw new ArgumentException($"{typeof(T).FullName} is already registered as '{other}'.", nameof(kind));
            ByKind[kind] = (typeof(T), restore);
        }
    }

    /// <summary>The kind <paramref name="head"/>'s type is registered under.</summary>
    /// <exception cref="NotSupportedException">The type is not registered, so a model holding it cannot be saved.</exception>
    public static string KindOf(PredictionHead head)
    {
        ArgumentNullException.ThrowIfNull(head);
        lock (Gate)
        {
            return ByKind.FirstOrDefault(p => p.Value.Type == head.GetType()).Key
                ?? throw new NotSupportedException($"Prediction head {head.GetType().FullName} is not registered, so a model holding it cannot be saved; call PredictionHeads.Register<{head.GetType().Name}>(\"a-kind-name\", restore) once before saving and before loading.");
        }
    }

    /// <summary>Rebuilds a head of <paramref name="kind"/> (null: the built-in head of <paramref name="task"/>, as files before head kinds were stored).</summary>
    /// <exception cref="ModelFormatException">The kind is not registered.</exception>
    public static PredictionHead Restore(string? kind, PredictionTask task, IReadOnlyList<string> classNames, IReadOnlyList<double>? state)
    {
        kind ??= task switch
        {
            PredictionTask.MulticlassClassification => "multiclass",
            PredictionTask.BinaryClassification => "binary",
            _ => "regression",
        };
        Func<IReadOnlyList<string>, IReadOnlyList<double>, PredictionHead> restore;
        lock (Gate)
        {
            restore = ByKind.TryGetValue(kind, out var entry) ? entry.Restore
                : throw new ModelFormatException($"Unknown prediction head kind '{kind}' (registered: {string.Join(", ", ByKind.Keys.Order(StringComparer.Ordinal))}); register it with PredictionHeads.Register<T>(\"{kind}\", restore) before loading.");
        }
        var head = restore(classNames, state ?? Array.Empty<double>());
        return head.Task == task ? head
            : throw new ModelFormatException($"Head kind '{kind}' restored a {head.Task} head where the file says {task}.");
    }
}
