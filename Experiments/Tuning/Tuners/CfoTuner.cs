using MlToolkit.Experiments.Tuning.SearchSpaces;

namespace MlToolkit.Experiments.Tuning.Tuners;

/// <summary>
/// Cost-frugal optimization after FLAML's CFO (Wu, Wang and Huang, AAAI 2021): a randomized direct search that starts
/// from the space's cheap defaults and only moves to costlier settings when they pay off. When the space's first
/// parameter is a choice that gates others (a trainer choice built with <see cref="SearchSpace.Branches"/>), each
/// branch gets its own local search; branches are first tried in declared order (declare cheap ones first), then
/// picked at random with probability inversely proportional to their estimated cost of the next improvement.
/// </summary>
public sealed class CfoTuner : ITuner
{
    private const double StepLowerBound = 0.01;
    private readonly SearchSpace _space;
    private readonly int _seed;
    private readonly ChoiceParameter? _branchParameter;
    private readonly Dictionary<string, LocalSearch> _branches = new(StringComparer.Ordinal);
    private readonly Dictionary<int, Move> _moves = new();
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    /// <summary>Creates the tuner over <paramref name="space"/>.</summary>
    public CfoTuner(SearchSpace space, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(space);
        _space = space;
        _seed = seed;
        _branchParameter = space.Parameters.Count > 0 && space.Parameters[0] is ChoiceParameter first && first.Condition is null
            && space.Parameters.Any(p => p.Condition?.Parent == first.Name) ? first : null;
        foreach (var branch in _branchParameter?.Choices ?? new[] { "" })
            _branches[branch] = new LocalSearch(branch, Dimensions(branch));
    }

    /// <inheritdoc/>
    public ParameterSet? Propose(int trialNumber)
    {
        var random = TrialRandom.For(_seed, trialNumber);
        var search = PickBranch(random);
        double[] point;
        Move move;
        if (!search.Started)
        {
            search.Started = true;
            point = Complete(search, null);
            move = new Move(search.Name, null, 0, search.Version);
        }
        else if (search.Incumbent is null)
        {
            point = Complete(search, search.Dimensions.ToDictionary(d => d, _ => random.NextDouble()));
            move = new Move(search.Name, null, 0, search.Version);
        }
        else if (search.Planned.Count > 0)
        {
            (point, move) = search.Planned.Dequeue();
        }
        else
        {
            (point, move) = FreshStep(search, random);
        }
        var proposal = _space.Decode(point);
        // A step can land on a configuration already tried (bounds clamp it, integers round it): try another direction.
        for (var attempt = 0; attempt < 8 && _seen.Contains(Key(proposal)) && search.Incumbent is not null; attempt++)
        {
            (point, move) = FreshStep(search, random);
            proposal = _space.Decode(point);
        }
        _moves[trialNumber] = move;
        _seen.Add(Key(proposal));
        return proposal;
    }

    /// <inheritdoc/>
    public void Report(TrialReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        _moves.Remove(report.TrialNumber, out var move);
        _seen.Add(Key(report.Configuration));
        var search = _branches[BranchOf(report.Configuration)];
        if (report.State == TrialState.Cancelled)
            return;
        search.Started = true;
        search.Trials++;
        search.TotalCost += report.Cost.TotalSeconds;
        search.CostSinceImprovement += report.Cost.TotalSeconds;
        if (search.Trials == 1)
            search.FirstCost = Math.Max(report.Cost.TotalSeconds, 1e-3);
        var loss = report.State == TrialState.Complete && report.Loss is { } value && double.IsFinite(value) ? value : double.PositiveInfinity;
        if (double.IsFinite(loss) && double.IsNaN(search.FirstLoss))
            search.FirstLoss = loss;
        if (loss < search.Best)
            search.Best = loss;

        if (loss < search.IncumbentLoss)
        {
            search.Incumbent = _space.Encode(report.Configuration);
            search.IncumbentLoss = loss;
            search.Failures = 0;
            search.CostSinceImprovement = 0;
            search.Version++;
            search.Planned.Clear();
            return;
        }
        if (search.Incumbent is null)
            return;
        search.Failures++;
        // A move made in another branch (a replayed history whose proposals differ from what ran) says nothing here.
        if (move is { Direction: { } direction, Sign: > 0 } && move.Branch == search.Name && move.Version == search.Version)
        {
            // The opposite direction is worth a try before giving up on this line.
            search.Planned.Enqueue((Step(search, direction, -1), move with { Sign = -1 }));
        }
        if (search.Failures >= 2 * Math.Max(search.Dimensions.Length, 1))
        {
            search.StepSize *= 0.5;
            search.Failures = 0;
            search.Planned.Clear();
            if (search.StepSize < StepLowerBound)
                search.Restart();
        }
    }

    // Points equal to 4 significant digits are the same trial for practical purposes (and print the same).
    private static string Key(ParameterSet configuration) => string.Join(";", configuration.Names.Select(n =>
        configuration.Values[n] is { IsText: false } value ? value.Number.ToString("G4", System.Globalization.CultureInfo.InvariantCulture) : configuration.Values[n].Text));

    private (double[] Point, Move Move) FreshStep(LocalSearch search, Random random)
    {
        var direction = RandomDirection(search.Dimensions.Length, random);
        return (Step(search, direction, +1), new Move(search.Name, direction, +1, search.Version));
    }

    private LocalSearch PickBranch(Random random)
    {
        var fresh = _branches.Values.FirstOrDefault(b => !b.Started);
        if (fresh is not null)
            return fresh;
        var searches = _branches.Values.ToList();
        if (searches.Count == 1)
            return searches[0];
        var best = searches.Min(b => b.Best);
        var ranked = searches.OrderBy(b => b.Best).ToList();
        var weights = searches.Select(b =>
        {
            var perTrial = b.Trials > 0 ? b.TotalCost / b.Trials : 1.0;
            var expected = 2 * Math.Max(b.CostSinceImprovement, Math.Max(b.FirstCost, perTrial));
            if (!double.IsFinite(b.Best))
                expected *= 4 + ranked.IndexOf(b);
            else if (b.Best > best)
            {
                var speed = double.IsFinite(b.FirstLoss) && b.FirstLoss > b.Best ? (b.FirstLoss - b.Best) / Math.Max(b.TotalCost, 1e-3) : 0;
                expected = speed > 0 ? Math.Max(expected, (b.Best - best) / speed) : expected * (2 + ranked.IndexOf(b));
            }
            return 1 / Math.Max(expected, 1e-6);
        }).ToArray();
        var pick = random.NextDouble() * weights.Sum();
        for (var i = 0; i < searches.Count; i++)
        {
            pick -= weights[i];
            if (pick <= 0)
                return searches[i];
        }
        return searches[^1];
    }

    private double[] Step(LocalSearch search, double[] direction, int sign)
    {
        var moved = new Dictionary<int, double>();
        for (var k = 0; k < search.Dimensions.Length; k++)
        {
            var d = search.Dimensions[k];
            var start = double.IsNaN(search.Incumbent![d]) ? _space.Parameters[d].ToUnit(_space.Parameters[d].Default) : search.Incumbent[d];
            moved[d] = Math.Clamp(start + sign * search.StepSize * direction[k], 0, 1);
        }
        return Complete(search, moved);
    }

    // A full unit vector: the branch choice fixed, moved or random coordinates where given, defaults elsewhere.
    private double[] Complete(LocalSearch search, IReadOnlyDictionary<int, double>? coordinates)
    {
        var point = new double[_space.Parameters.Count];
        for (var i = 0; i < point.Length; i++)
        {
            var parameter = _space.Parameters[i];
            point[i] = parameter == _branchParameter
                ? parameter.ToUnit(ParameterValue.Of(search.Name))
                : coordinates is not null && coordinates.TryGetValue(i, out var value) ? value : parameter.ToUnit(parameter.Default);
        }
        return point;
    }

    private int[] Dimensions(string branch) =>
        Enumerable.Range(0, _space.Parameters.Count).Where(i => _space.Parameters[i] != _branchParameter && InBranch(_space.Parameters[i], branch)).ToArray();

    private bool InBranch(Parameter parameter, string branch)
    {
        if (_branchParameter is null || parameter.Condition is not { } condition)
            return true;
        return condition.Parent == _branchParameter.Name ? condition.Values.Contains(branch) : InBranch(_space[condition.Parent], branch);
    }

    private string BranchOf(ParameterSet configuration) =>
        _branchParameter is null ? "" : configuration.GetString(_branchParameter.Name);

    private static double[] RandomDirection(int dimensions, Random random)
    {
        var direction = new double[dimensions];
        double norm = 0;
        for (var i = 0; i < dimensions; i++)
        {
            var u1 = 1.0 - random.NextDouble();
            direction[i] = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * random.NextDouble());
            norm += direction[i] * direction[i];
        }
        norm = Math.Sqrt(norm);
        for (var i = 0; i < dimensions; i++)
            direction[i] = norm > 0 ? direction[i] / norm : 0;
        return direction;
    }

    private sealed record Move(string Branch, double[]? Direction, int Sign, int Version);

    private sealed class LocalSearch
    {
        public LocalSearch(string name, int[] dimensions)
        {
            Name = name;
            Dimensions = dimensions;
            StepSize = InitialStep;
        }

        public string Name { get; }

        public int[] Dimensions { get; }

        public double InitialStep => Math.Min(0.1 * Math.Sqrt(Math.Max(Dimensions.Length, 1)), 1.0);

        public bool Started { get; set; }

        public double[]? Incumbent { get; set; }

        public double IncumbentLoss { get; set; } = double.PositiveInfinity;

        public double Best { get; set; } = double.PositiveInfinity;

        public double FirstLoss { get; set; } = double.NaN;

        public double StepSize { get; set; }

        public int Failures { get; set; }

        public int Version { get; set; }

        public int Trials { get; set; }

        public double TotalCost { get; set; }

        public double FirstCost { get; set; } = 1e-3;

        public double CostSinceImprovement { get; set; }

        public Queue<(double[] Point, Move Move)> Planned { get; } = new();

        public void Restart()
        {
            Incumbent = null;
            IncumbentLoss = double.PositiveInfinity;
            StepSize = InitialStep;
            Failures = 0;
            Version++;
            Planned.Clear();
        }
    }
}
