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
        new NearestNeighborsCandidate(), new KernelMachineCandidate(), new ForestCandidate(), new MlpCandidate(), new CnnCandidate(), new RecurrentCandidate(RnnCell.Lstm), new RecurrentCandidate(RnnCell.Gru), new TransformerCandidate(),
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
    /// What runs when the user names none: the classic trainers, nearest neighbours, the kernel machine, our forest and the MLP over the auto-featurized columns. The CNN
    /// and the sequence models are opt-in: they need images or a text column read as tokens, and minutes per trial.
    /// </summary>
    public static IReadOnlyList<TrialCandidate> Defaults(PredictionTask task) => Defaults(task, DataModality.Tabular);

    /// <summary>
    /// What runs when the user names none, for data of <paramref name="modality"/>: on tables the classic trainers,
    /// nearest neighbours, the kernel machine, the random forest / extra-trees (in place of FastForest) and the MLP; on images the CNN with L-BFGS, LightGBM and nearest
    /// neighbours on the pixels as cheap baselines; on text the LSTM and the transformer with L-BFGS and SDCA on
    /// TF-IDF features as cheap baselines and the MLP on the 20,000 most informative of those features. Cheapest first.
    /// </summary>
    public static IReadOnlyList<TrialCandidate> Defaults(PredictionTask task, DataModality modality) => (modality switch
    {
        DataModality.Images => new[] { "lbfgs", "lightgbm", "knn", "cnn" },
        DataModality.Text => new[] { "lbfgs", "sdca", "mlp", "lstm", "transformer" },
        _ => new[] { "lbfgs", "sdca", "lightgbm", "knn", "kernel", "forest", "fasttree", "mlp" },
    }).Select(Get).Where(c => c.Supports(task)).ToList();

    /// <summary>
    /// The trainer <c>mltoolkit train</c> fits when none is named: the CNN on images; L-BFGS (SDCA for regression) on
    /// TF-IDF features of text; the RBF kernel machine on tables of up to 2,000 rows, where its exact solution is
    /// strongest (digits held out: 0.994 against LightGBM's 0.97); LightGBM on larger tables.
    /// </summary>
    public static TrialCandidate SingleRunDefault(PredictionTask task, DataModality modality, long rows) => Get(modality switch
    {
        DataModality.Images when task != PredictionTask.Regression => "cnn",
        DataModality.Text => task == PredictionTask.Regression ? "sdca" : "lbfgs",
        _ => rows <= 2000 ? "kernel" : "lightgbm",
    });

    /// <summary>The candidate called <paramref name="name"/> (case-insensitive), or null when none is registered.</summary>
    public static TrialCandidate? Find(string name) => All.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The candidate called <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the candidates.</exception>
    public static TrialCandidate Get(string name) =>
        Find(name)
        ?? throw new ArgumentException($"Unknown trainer '{name}'. Trainers: {string.Join(", ", All.Select(c => c.Name))}.", nameof(name));
}
