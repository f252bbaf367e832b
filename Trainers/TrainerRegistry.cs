using MlToolkit.Trainers.Classic;
using MlToolkit.Trainers.Torch;

namespace MlToolkit.Trainers;

/// <summary>Every trainer that can be picked by name: ML.NET's classic ones and the torch ones.</summary>
public static class TrainerRegistry
{
    /// <summary>All named trainers, classic first.</summary>
    public static IReadOnlyList<NamedTrainer> All { get; } = ClassicTrainers.All.Concat(TorchTrainers.All).ToList();

    /// <summary>The trainer called <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">No trainer has that name; the message lists those that exist.</exception>
    public static NamedTrainer Get(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return All.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"Unknown trainer '{name}'. Trainers: {string.Join(", ", All.Select(t => t.Name))}.", nameof(name));
    }
}
