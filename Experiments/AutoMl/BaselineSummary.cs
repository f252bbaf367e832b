namespace MlToolkit.Experiments.AutoMl;

/// <summary>
/// The constant predictor an AutoML run measured its best trial against: every validation row gets its fold's training
/// rows' class frequencies (or mean), whatever the columns hold. A model that does not beat it out of fold has learned
/// nothing the metric rewards.
/// </summary>
/// <param name="Description">What it predicts, e.g. "always 'good' (the training rows' class frequencies)".</param>
/// <param name="Value">Its metric on the rows of the trials' out-of-fold predictions.</param>
/// <param name="BestValue">The best trial's metric on the same predictions.</param>
/// <param name="Beaten">Whether the best trial scores strictly better than the constant.</param>
/// <param name="Saved">
/// Whether the constant was saved as the model because no trial beat it (classification: on imbalanced data nothing may
/// beat predicting the common class); for regression an unbeaten baseline is only reported.
/// </param>
public sealed record BaselineSummary(string Description, double Value, double BestValue, bool Beaten, bool Saved)
{
    /// <summary>One line for people: the constant, its <paramref name="metric"/> against the best trial's, and what followed.</summary>
    public string ToText(string metric)
    {
        var verdict = Saved ? "no trial beats it, so it is saved as the model (the columns may still rank the rows: see auc, or search on --metric auc or log_loss)"
            : Beaten ? "the best trial beats it" : "no trial beats it: the saved model has learned nothing this metric rewards";
        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{Description}: {metric} {Value:0.0000} out of fold, best trial {BestValue:0.0000}; {verdict}");
    }
}
