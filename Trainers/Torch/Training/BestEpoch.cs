using static TorchSharp.torch;

namespace MlToolkit.Trainers.Torch.Training;

/// <summary>Which epoch scored best on validation, a copy of its weights (when they are to be restored), and whether patience ran out.</summary>
internal sealed class BestEpoch : IDisposable
{
    private readonly TorchTrainerOptions _options;
    private Dictionary<string, Tensor>? _weights;
    private double? _score;
    private int _sinceImprovement;

    public BestEpoch(TorchTrainerOptions options) => _options = options;

    public int Epoch { get; private set; }

    /// <summary>Records <paramref name="epoch"/>'s validation figures; true when early stopping says to stop.</summary>
    public bool Observe(int epoch, double validationLoss, double? validationAccuracy, nn.Module<Tensor, Tensor> module)
    {
        // Higher is better for the watched score: negate losses.
        var score = _options.ValidationMetric == ValidationMetric.Accuracy && validationAccuracy is { } accuracy ? accuracy : -validationLoss;
        if (_score is null || score > _score.Value + _options.EarlyStoppingMinDelta)
        {
            _score = score;
            Epoch = epoch;
            _sinceImprovement = 0;
            if (_options.RestoreBestWeights)
                Snapshot(module);
            return false;
        }
        return _options.EarlyStoppingPatience is { } patience && ++_sinceImprovement >= patience;
    }

    /// <summary>Puts the best epoch's weights back when a later epoch's are in the module.</summary>
    public void Restore(nn.Module<Tensor, Tensor> module, int lastEpoch)
    {
        if (_weights is not null && Epoch != lastEpoch)
            module.load_state_dict(_weights);
    }

    private void Snapshot(nn.Module<Tensor, Tensor> module)
    {
        Dispose();
        using var noGrad = no_grad();
        _weights = module.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().DetachFromDisposeScope());
    }

    public void Dispose()
    {
        if (_weights is null)
            return;
        foreach (var tensor in _weights.Values)
            tensor.Dispose();
        _weights = null;
    }
}
