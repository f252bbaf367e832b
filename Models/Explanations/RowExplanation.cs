using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace MlToolkit.Models.Explanations;

/// <summary>What one input column contributed to one prediction.</summary>
/// <param name="Column">The raw input column, as the user's data names it.</param>
/// <param name="Value">Its value in the explained row, as text.</param>
/// <param name="Attribution">Its contribution (SHAP value, or the local surrogate's weight × the row's feature for LIME).</param>
public sealed record FeatureAttribution(string Column, string Value, double Attribution);

/// <summary>How well a LIME surrogate fits the model around the row.</summary>
/// <param name="Intercept">The surrogate's intercept.</param>
/// <param name="LocalPrediction">The surrogate's value at the row.</param>
/// <param name="RSquared">Weighted R² of the surrogate on the perturbed samples.</param>
public sealed record LocalSurrogate(double Intercept, double LocalPrediction, double RSquared);

/// <summary>One explained prediction: the base value, the prediction, and each column's share of the difference.</summary>
/// <param name="Row">Index of the row in the data given.</param>
/// <param name="Method">kernel-shap or lime.</param>
/// <param name="Output">What number is explained (e.g. "probability of 'M'").</param>
/// <param name="BaseValue">The expected output over the background data (SHAP), or the surrogate's intercept (LIME).</param>
/// <param name="Prediction">The model's output for the row (in the link's space for SHAP).</param>
/// <param name="Features">Attributions, largest magnitude first.</param>
/// <param name="Surrogate">For LIME, the surrogate's fit.</param>
public sealed record RowExplanation(int Row, string Method, string Output, double BaseValue, double Prediction, IReadOnlyList<FeatureAttribution> Features, LocalSurrogate? Surrogate = null)
{
    /// <summary>A text table, the <paramref name="top"/> largest attributions.</summary>
    public string ToText(int top = 10)
    {
        var text = new StringBuilder();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Row {Row}: {Output} = {Prediction:0.####} ({Method}; base {BaseValue:0.####})"));
        foreach (var feature in Features.Take(top))
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"  {feature.Attribution,10:+0.0000;-0.0000}  {feature.Column} = {Shorten(feature.Value)}"));
        if (Surrogate is { } s)
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"  surrogate: intercept {s.Intercept:0.####}, value at the row {s.LocalPrediction:0.####}, weighted R² {s.RSquared:0.###}"));
        return text.ToString();
    }

    /// <summary>An HTML table of the <paramref name="top"/> largest attributions (for notebooks and reports).</summary>
    public string ToHtml(int top = 10)
    {
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<table><caption>Row {Row}: {Encode(Output)} = {Prediction:0.####} ({Method}; base {BaseValue:0.####})</caption><tr><th>column</th><th>value</th><th>attribution</th></tr>");
        foreach (var feature in Features.Take(top))
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Encode(feature.Column)}</td><td>{Encode(Shorten(feature.Value))}</td><td>{feature.Attribution:+0.0000;-0.0000}</td></tr>");
        return html.Append("</table>").ToString();
    }

    private static string Encode(string text) => System.Net.WebUtility.HtmlEncode(text);

    /// <summary>The explanation as JSON.</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["row"] = Row,
            ["method"] = Method,
            ["output"] = Output,
            ["baseValue"] = BaseValue,
            ["prediction"] = Prediction,
            ["features"] = new JsonArray(Features.Select(f => (JsonNode?)new JsonObject { ["column"] = f.Column, ["value"] = f.Value, ["attribution"] = f.Attribution }).ToArray()),
        };
        if (Surrogate is { } s)
            json["surrogate"] = new JsonObject { ["intercept"] = s.Intercept, ["localPrediction"] = s.LocalPrediction, ["rSquared"] = s.RSquared };
        return json;
    }

    private static string Shorten(string value) => value.Length <= 60 ? value : value[..57] + "...";
}
