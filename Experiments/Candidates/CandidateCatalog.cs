using MlToolkit.Data;
using MlToolkit.Trainers.Torch.Architectures;

namespace MlToolkit.Experiments.Candidates;

/// <summary>Every trainer AutoML can sweep, cheapest first (the order cost-frugal search tries them in).</summary>
public static class CandidateCatalog
{
    private static readonly object Gate = new();
    private static readonly List<TrialCandidate> Registered = new()
    {
        new LbfgsCandidate(), new SdcaCandidate(), new LightGbmCandidate(), new FastForestCandidate(), new FastTreeCandidate(),
        new MlpCandidate(), new CnnCandidate(), new RecurrentCandidate(RnnCell.Lstm), new RecurrentCandidate(RnnCell.Gru), new TransformerCandidate(),
    };

    /// <summary>All candidates: the built-in ones, then those registered.</summary>
    public static IReadOnlyList<TrialCandidate> All
    {
        get
        {
            lock (Gate)
                return Registered.ToList();
        }
    }

    /// <summary>Makes <paramref name="candidate"/> known by its name to AutoML (and to resumed studies that name it).</summary>
    /// <exception cref="ArgumentException">Another candidate has that name.</exception>
    public static void Register(TrialCandidate candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentException.ThrowIfNullOrWhiteSpace(candidate.Name, nameof(candidate));
        lock (Gate)
        {
            var existing = Registered.FirstOrDefault(c => string.Equals(c.Name, candidate.Name, StringComparison.OrdinalIgnoreCase));
            if (existing is null)
                Registered.Add(candidate);
            else if (existing.GetType() != candidate.GetType())
                throw new ArgumentException($"A trainer named '{candidate.Name}' is already registered ({existing.GetType().FullName}).", nameof(candidate));
        }
    }

    /// <summary>
    /// What runs when the user names none: the classic trainers and the MLP over the auto-featurized columns. The CNN
    /// and the sequence models are opt-in: they need images or a text column read as tokens, and minutes per trial.
    /// </summary>
    public static IReadOnlyList<TrialCandidate> Defaults(PredictionTask task) =>
        new[] { "lbfgs", "sdca", "lightgbm", "fastforest", "fasttree", "mlp" }.Select(Get).Where(c => c.Supports(task)).ToList();

    /// <summary>The candidate called <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the candidates.</exception>
    public static TrialCandidate Get(string name) =>
        All.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown trainer '{name}'. Trainers: {string.Join(", ", All.Select(c => c.Name))}.", nameof(name));
}
