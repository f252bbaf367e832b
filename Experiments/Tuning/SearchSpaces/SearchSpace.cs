namespace MlToolkit.Experiments.Tuning.SearchSpaces;

/// <summary>
/// The hyperparameters to tune, as data: ordered parameters (float, int, choice), some active only under a value of
/// an earlier choice. <see cref="Branches"/> nests whole spaces under one choice, which is how the trainer itself
/// becomes a hyperparameter. Build a space once with the fluent methods, then hand it to a tuner.
/// </summary>
public sealed class SearchSpace
{
    private readonly List<Parameter> _parameters = new();
    private readonly Dictionary<string, Parameter> _byName = new(StringComparer.Ordinal);

    /// <summary>The parameters in declared order; a parameter's condition refers to one declared before it.</summary>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>The parameter called <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such parameter; the message lists those there are.</exception>
    public Parameter this[string name] => _byName.TryGetValue(name, out var parameter)
        ? parameter
        : throw new KeyNotFoundException($"The search space has no parameter '{name}'. Parameters: {string.Join(", ", _byName.Keys)}.");

    /// <summary>Adds a real-valued parameter.</summary>
    public SearchSpace Float(string name, double low, double high, bool log = false, double? defaultValue = null) => Add(new FloatParameter(name, low, high, log, defaultValue));

    /// <summary>Adds a whole-number parameter.</summary>
    public SearchSpace Int(string name, int low, int high, bool log = false, int? defaultValue = null) => Add(new IntParameter(name, low, high, log, defaultValue));

    /// <summary>Adds a choice; its first value is the default.</summary>
    public SearchSpace Choice(string name, params string[] choices) => Add(new ChoiceParameter(name, choices));

    /// <summary>Adds a choice with an explicit default.</summary>
    public SearchSpace Choice(string name, IReadOnlyList<string> choices, string defaultValue) => Add(new ChoiceParameter(name, choices, defaultValue));

    /// <summary>Adds the parameters declared in <paramref name="declare"/>, active only while <paramref name="parent"/> is one of <paramref name="values"/>.</summary>
    public SearchSpace When(string parent, IReadOnlyList<string> values, Action<SearchSpace> declare)
    {
        ArgumentNullException.ThrowIfNull(declare);
        var nested = new SearchSpace();
        declare(nested);
        return AddConditioned(nested, parent, values, prefix: "");
    }

    /// <summary>Adds the parameters declared in <paramref name="declare"/>, active only while <paramref name="parent"/> is <paramref name="value"/>.</summary>
    public SearchSpace When(string parent, string value, Action<SearchSpace> declare) => When(parent, new[] { value }, declare);

    /// <summary>
    /// Adds a choice <paramref name="name"/> over the branch names and, under each, that branch's space with its
    /// parameters renamed <c>branch.parameter</c> (read them back with <see cref="ParameterSet.Scope"/>). The first
    /// branch is the default.
    /// </summary>
    public SearchSpace Branches(string name, IEnumerable<KeyValuePair<string, SearchSpace>> branches)
    {
        ArgumentNullException.ThrowIfNull(branches);
        var list = branches.ToList();
        Add(new ChoiceParameter(name, list.Select(b => b.Key).ToList()));
        foreach (var (branch, space) in list)
            AddConditioned(space, name, new[] { branch }, prefix: branch + ".");
        return this;
    }

    /// <summary>Whether <paramref name="parameter"/> is active given the values chosen so far.</summary>
    public bool IsActive(Parameter parameter, IReadOnlyDictionary<string, ParameterValue> chosen)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        if (parameter.Condition is not { } condition)
            return true;
        return chosen.TryGetValue(condition.Parent, out var parent) && parent.IsText && condition.Values.Contains(parent.Text)
            && IsActive(this[condition.Parent], chosen);
    }

    /// <summary>The configuration at unit coordinates <paramref name="unit"/> (one per parameter, in order); inactive parameters are left out.</summary>
    public ParameterSet Decode(IReadOnlyList<double> unit)
    {
        ArgumentNullException.ThrowIfNull(unit);
        if (unit.Count != _parameters.Count)
            throw new ArgumentException($"Expected {_parameters.Count} unit coordinates, got {unit.Count}.", nameof(unit));
        var chosen = new Dictionary<string, ParameterValue>(StringComparer.Ordinal);
        for (var i = 0; i < _parameters.Count; i++)
            if (IsActive(_parameters[i], chosen))
                chosen[_parameters[i].Name] = _parameters[i].FromUnit(unit[i]);
        return new ParameterSet(this, chosen);
    }

    /// <summary>Unit coordinates of <paramref name="configuration"/>; <see cref="double.NaN"/> for inactive parameters.</summary>
    public double[] Encode(ParameterSet configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return _parameters.Select(p => configuration.TryGet(p.Name, out var value) ? p.ToUnit(value) : double.NaN).ToArray();
    }

    /// <summary>A configuration drawn uniformly (in each parameter's scale) with <paramref name="random"/>.</summary>
    public ParameterSet Sample(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return Decode(_parameters.Select(_ => random.NextDouble()).ToArray());
    }

    /// <summary>Every parameter at its default: the cheap starting point.</summary>
    public ParameterSet Defaults()
    {
        var chosen = new Dictionary<string, ParameterValue>(StringComparer.Ordinal);
        foreach (var parameter in _parameters)
            if (IsActive(parameter, chosen))
                chosen[parameter.Name] = parameter.Default;
        return new ParameterSet(this, chosen);
    }

    /// <summary>Every active parameter at its default except those <paramref name="overrides"/> sets (checked as by <see cref="Configuration"/>).</summary>
    /// <exception cref="ArgumentException">An override is unknown, out of range or set for an inactive parameter.</exception>
    public ParameterSet Defaults(IReadOnlyDictionary<string, ParameterValue> overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        var chosen = new Dictionary<string, ParameterValue>(overrides, StringComparer.Ordinal);
        foreach (var parameter in _parameters)
        {
            if (IsActive(parameter, chosen))
                chosen.TryAdd(parameter.Name, parameter.Default);
        }
        return Configuration(chosen);
    }

    /// <summary>
    /// <paramref name="value"/> as parameter <paramref name="name"/> holds values: a text is read as a number
    /// (invariant culture) for a numeric parameter, a number becomes its text for a choice such as <c>"32"</c>.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No such parameter.</exception>
    /// <exception cref="ArgumentException">A text that is not a number for a numeric parameter.</exception>
    public ParameterValue Coerce(string name, ParameterValue value)
    {
        var parameter = this[name];
        if (parameter is ChoiceParameter)
            return value.IsText ? value : ParameterValue.Of(value.ToString());
        if (!value.IsText)
            return value;
        return double.TryParse(value.Text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var number)
            ? ParameterValue.Of(number)
            : throw new ArgumentException($"'{name}' = '{value.Text}' is not a number ({parameter.Describe()}).", nameof(value));
    }

    /// <summary>
    /// Checks that <paramref name="values"/> is a complete configuration of this space and returns it. With
    /// <paramref name="withinRanges"/> false a value need only be of its parameter's kind (a number, a whole number, a
    /// text): the ranges bound the search, not what a single training run may ask for.
    /// </summary>
    /// <exception cref="ArgumentException">A value is missing, out of range, or set for an inactive or unknown parameter; the message names it.</exception>
    public ParameterSet Configuration(IReadOnlyDictionary<string, ParameterValue> values, bool withinRanges = true)
    {
        ArgumentNullException.ThrowIfNull(values);
        foreach (var name in values.Keys)
            _ = this[name];
        var chosen = new Dictionary<string, ParameterValue>(StringComparer.Ordinal);
        foreach (var parameter in _parameters)
        {
            var active = IsActive(parameter, chosen);
            var given = values.TryGetValue(parameter.Name, out var value);
            if (active && !given)
                throw new ArgumentException($"The configuration has no value for '{parameter.Name}' ({parameter.Describe()}).", nameof(values));
            if (!active && given)
                throw new ArgumentException($"'{parameter.Name}' is set, but only applies when {parameter.Condition}.", nameof(values));
            if (!active)
                continue;
            if (withinRanges ? !parameter.Contains(value) : !OfKind(parameter, value))
                throw new ArgumentException($"'{parameter.Name}' = {value} is outside {parameter.Describe()}.", nameof(values));
            chosen[parameter.Name] = value;
        }
        return new ParameterSet(this, chosen);
    }

    /// <summary>One line per parameter with its range and condition; equal descriptions mean equal spaces.</summary>
    public string Describe() => string.Join("\n", _parameters.Select(p => p.Condition is null ? p.Describe() : $"{p.Describe()} if {p.Condition}"));

    private SearchSpace Add(Parameter parameter)
    {
        if (_byName.ContainsKey(parameter.Name))
            throw new ArgumentException($"The search space already has a parameter '{parameter.Name}'.", nameof(parameter));
        if (parameter.Condition is { } condition)
        {
            if (!_byName.TryGetValue(condition.Parent, out var parent) || parent is not ChoiceParameter choice)
                throw new ArgumentException($"'{parameter.Name}' depends on '{condition.Parent}', which must be a choice declared before it.", nameof(parameter));
            var unknown = condition.Values.FirstOrDefault(v => !choice.Choices.Contains(v));
            if (unknown is not null)
                throw new ArgumentException($"'{parameter.Name}' depends on {condition.Parent} = '{unknown}', which is not one of {choice.Describe()}.", nameof(parameter));
        }
        _parameters.Add(parameter);
        _byName.Add(parameter.Name, parameter);
        return this;
    }

    private SearchSpace AddConditioned(SearchSpace nested, string parent, IReadOnlyList<string> values, string prefix)
    {
        ArgumentNullException.ThrowIfNull(nested);
        foreach (var inner in nested.Parameters)
        {
            var copy = Rename(inner, prefix + inner.Name);
            copy.Condition = inner.Condition is { } own ? own with { Parent = prefix + own.Parent } : new ParameterCondition(parent, values.ToArray());
            Add(copy);
        }
        return this;
    }

    private static Parameter Rename(Parameter parameter, string name) => parameter switch
    {
        FloatParameter f => new FloatParameter(name, f.Low, f.High, f.Log, f.Default.Number),
        IntParameter i => new IntParameter(name, i.Low, i.High, i.Log, (int)i.Default.Number),
        ChoiceParameter c => new ChoiceParameter(name, c.Choices, c.Default.Text),
        _ => throw new ArgumentException($"Unknown parameter kind {parameter.GetType().Name}.", nameof(parameter)),
    };

    private static bool OfKind(Parameter parameter, ParameterValue value) => parameter switch
    {
        ChoiceParameter => value.IsText,
        IntParameter => !value.IsText && value.Number == Math.Floor(value.Number),
        _ => !value.IsText && double.IsFinite(value.Number),
    };
}
