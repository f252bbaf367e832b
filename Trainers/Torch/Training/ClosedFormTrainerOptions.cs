namespace MlToolkit.Trainers.Torch.Training;

/// <summary>
/// Settings every closed-form torch trainer shares (nearest neighbours, kernel machines): columns, scoring batch
/// size, threads and seed. There are no epochs: the model is computed from all training rows at once.
/// </summary>
public abstract class ClosedFormTrainerOptions
{
    /// <summary>Feature column: a known-size vector of Single. Default "Features".</summary>
    public string FeatureColumnName { get; set; } = "Features";

    /// <summary>Label column: key (multiclass), Boolean (binary) or Single (regression). Default "Label".</summary>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>Rows scored per forward pass. Default 256.</summary>
    public int InferenceBatchSize { get; set; } = 256;

    /// <summary>Torch threads while fitting; null leaves torch's setting alone.</summary>
    public int? Threads { get; set; }

    /// <summary>Seed for any sampling the trainer does. Default 1.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Cancels fitting between blocks of work with <see cref="OperationCanceledException"/>.</summary>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>Checks every setting; called by the trainer's constructor.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the message names it.</exception>
    public virtual void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(FeatureColumnName, nameof(FeatureColumnName));
        ArgumentException.ThrowIfNullOrWhiteSpace(LabelColumnName, nameof(LabelColumnName));
        ArgumentOutOfRangeException.ThrowIfLessThan(InferenceBatchSize, 1, nameof(InferenceBatchSize));
        if (Threads is { } threads)
            ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1, nameof(Threads));
    }

    /// <summary>A copy the trainer keeps, so later changes to the caller's options change nothing.</summary>
    public ClosedFormTrainerOptions Clone() => (ClosedFormTrainerOptions)MemberwiseClone();

    /// <summary>Throws unless <paramref name="value"/> is finite and &gt; 0.</summary>
    protected static void Positive(double value, string name)
    {
        if (!double.IsFinite(value) || value <= 0)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number greater than 0.");
    }
}
