using MlToolkit.Experiments.Tuning.SearchSpaces;

namespace MlToolkit.Experiments.Tuning.Tuners;

/// <summary>
/// Every combination of every choice and <c>pointsPerNumber</c> evenly spaced values of each number (conditional
/// parameters only where active), visited in a seeded random order so that a cut-short grid still covers the space
/// evenly. Returns null once every point has been tried.
/// </summary>
public sealed class GridTuner : ITuner
{
    /// <summary>The largest grid accepted; a bigger one is an error rather than a search that can never finish.</summary>
    public const int MaxPoints = 100_000;

    private readonly List<ParameterSet> _points;
    private readonly HashSet<ParameterSet> _tried = new();
    private int _cursor;

    /// <summary>Creates the tuner over <paramref name="space"/>.</summary>
    /// <exception cref="ArgumentException">The grid has more than <see cref="MaxPoints"/> points.</exception>
    public GridTuner(SearchSpace space, int seed = 0, int pointsPerNumber = 5)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentOutOfRangeException.ThrowIfLessThan(pointsPerNumber, 1, nameof(pointsPerNumber));
        _points = new List<ParameterSet>();
        Enumerate(space, 0, new Dictionary<string, ParameterValue>(StringComparer.Ordinal), pointsPerNumber);
        var random = new Random(seed);
        for (var i = _points.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (_points[i], _points[j]) = (_points[j], _points[i]);
        }
    }

    /// <summary>Points in the grid.</summary>
    public int Count => _points.Count;

    /// <inheritdoc/>
    public ParameterSet? Propose(int trialNumber)
    {
        // Points before the cursor are all tried, so the whole grid is walked once however many proposals are made.
        while (_cursor < _points.Count && _tried.Contains(_points[_cursor]))
            _cursor++;
        if (_cursor == _points.Count)
            return null;
        _tried.Add(_points[_cursor]);
        return _points[_cursor];
    }

    /// <inheritdoc/>
    public void Report(TrialReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        _tried.Add(report.Configuration);
    }

    private void Enumerate(SearchSpace space, int index, Dictionary<string, ParameterValue> chosen, int points)
    {
        if (index == space.Parameters.Count)
        {
            if (_points.Count >= MaxPoints)
                throw new ArgumentException($"The grid has more than {MaxPoints:N0} points; use fewer points per number or a smaller space.", nameof(space));
            _points.Add(new ParameterSet(space, chosen));
            return;
        }
        var parameter = space.Parameters[index];
        if (!space.IsActive(parameter, chosen))
        {
            Enumerate(space, index + 1, chosen, points);
            return;
        }
        foreach (var value in parameter.GridValues(points))
        {
            chosen[parameter.Name] = value;
            Enumerate(space, index + 1, chosen, points);
        }
        chosen.Remove(parameter.Name);
    }
}
