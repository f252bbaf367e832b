using System.Globalization;
using System.Text.Json;

namespace MlToolkit.Experiments.Tuning.SearchSpaces;

/// <summary>One configuration of a <see cref="SearchSpace"/>: a value for every active parameter, in the space's order.</summary>
public sealed class ParameterSet : IEquatable<ParameterSet>
{
    private readonly Dictionary<string, ParameterValue> _values;
    private readonly string[] _order;

    internal ParameterSet(SearchSpace? space, IReadOnlyDictionary<string, ParameterValue> values)
    {
        _values = new Dictionary<string, ParameterValue>(values, StringComparer.Ordinal);
        _order = space is null
            ? values.Keys.ToArray()
            : space.Parameters.Select(p => p.Name).Where(_values.ContainsKey).ToArray();
    }

    /// <summary>Parameter names in the order of their space.</summary>
    public IReadOnlyList<string> Names => _order;

    /// <summary>The values keyed by parameter name.</summary>
    public IReadOnlyDictionary<string, ParameterValue> Values => _values;

    /// <summary>Whether the configuration sets <paramref name="name"/>.</summary>
    public bool Contains(string name) => _values.ContainsKey(name);

    /// <summary>The value of <paramref name="name"/>, if set.</summary>
    public bool TryGet(string name, out ParameterValue value) => _values.TryGetValue(name, out value);

    /// <summary>A numeric value.</summary>
    /// <exception cref="KeyNotFoundException">Not set.</exception>
    public double GetDouble(string name)
    {
        var value = Get(name);
        return value.IsText ? double.Parse(value.Text!, CultureInfo.InvariantCulture) : value.Number;
    }

    /// <summary>A whole-number value (an int parameter, or a choice such as "32").</summary>
    public int GetInt(string name) => checked((int)Math.Round(GetDouble(name)));

    /// <summary>A choice.</summary>
    public string GetString(string name) => Get(name).ToString();

    /// <summary>A copy with <paramref name="name"/> set to <paramref name="value"/> (added last when it was not set).</summary>
    public ParameterSet With(string name, ParameterValue value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new ParameterSet(null, _order.Append(name).Distinct(StringComparer.Ordinal)
            .ToDictionary(n => n, n => n == name ? value : _values[n], StringComparer.Ordinal));
    }

    /// <summary>The values under <c>prefix.</c> with the prefix removed: one branch of <see cref="SearchSpace.Branches"/>.</summary>
    public ParameterSet Scope(string prefix)
    {
        var start = prefix + ".";
        return new ParameterSet(null, _order.Where(n => n.StartsWith(start, StringComparison.Ordinal))
            .ToDictionary(n => n[start.Length..], n => _values[n], StringComparer.Ordinal));
    }

    /// <summary>The configuration as a JSON object: numbers as numbers, choices as strings.</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var name in _order)
            {
                var value = _values[name];
                if (value.IsText)
                    writer.WriteString(name, value.Text);
                else
                    writer.WriteNumber(name, value.Number);
            }
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Reads <see cref="ToJson"/> back, checked against <paramref name="space"/>.</summary>
    /// <exception cref="ArgumentException">The JSON does not describe a configuration of the space.</exception>
    public static ParameterSet FromJson(string json, SearchSpace space)
    {
        ArgumentNullException.ThrowIfNull(space);
        return space.Configuration(ParseValues(json));
    }

    /// <summary>Reads <see cref="ToJson"/> back without a space to check against (for reports on stored trials).</summary>
    public static ParameterSet FromJson(string json) => new(null, ParseValues(json));

    private static Dictionary<string, ParameterValue> ParseValues(string json)
    {
        using var document = JsonDocument.Parse(json);
        var values = new Dictionary<string, ParameterValue>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
            values[property.Name] = property.Value.ValueKind == JsonValueKind.String
                ? ParameterValue.Of(property.Value.GetString()!)
                : ParameterValue.Of(property.Value.GetDouble());
        return values;
    }

    /// <summary><c>name=value</c> pairs, comma-separated, in space order.</summary>
    public override string ToString() => string.Join(", ", _order.Select(n => $"{n}={Format(_values[n])}"));

    /// <inheritdoc/>
    public bool Equals(ParameterSet? other) =>
        other is not null && other._values.Count == _values.Count && _values.All(p => other._values.TryGetValue(p.Key, out var v) && v.Equals(p.Value));

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as ParameterSet);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = 0;
        foreach (var (name, value) in _values)
            hash ^= HashCode.Combine(name, value);
        return hash;
    }

    private ParameterValue Get(string name) => _values.TryGetValue(name, out var value)
        ? value
        : throw new KeyNotFoundException($"The configuration has no parameter '{name}'. It has: {string.Join(", ", _order)}.");

    private static string Format(ParameterValue value) =>
        value.IsText ? value.Text! : Math.Abs(value.Number) is >= 1e-3 and < 1e5 or 0 ? value.Number.ToString("0.####", CultureInfo.InvariantCulture) : value.Number.ToString("0.###e0", CultureInfo.InvariantCulture);
}
