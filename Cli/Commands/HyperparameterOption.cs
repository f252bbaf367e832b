using MlToolkit.Experiments.Tuning.SearchSpaces;

namespace MlToolkit.Cli.Commands;

/// <summary>Reads <c>--param name=value</c> values as texts; the trainer's search space reads each as its parameter's kind.</summary>
internal static class HyperparameterOption
{
    public static IReadOnlyDictionary<string, ParameterValue> Parse(IEnumerable<string>? values)
    {
        var parsed = new Dictionary<string, ParameterValue>(StringComparer.Ordinal);
        foreach (var pair in values ?? Array.Empty<string>())
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || equals == pair.Length - 1)
                throw new ArgumentException($"--param '{pair}': expected name=value, e.g. --param leaves=63.");
            parsed[pair[..equals].Trim()] = pair[(equals + 1)..].Trim();
        }
        return parsed;
    }
}
