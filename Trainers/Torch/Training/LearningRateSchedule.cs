namespace MlToolkit.Trainers.Torch.Training;

/// <summary>The learning rate at every step: a warm-up ramp, then the chosen schedule. Pure, so it is easy to test.</summary>
public sealed class LearningRateSchedule
{
    private readonly LearningRateScheduleKind _kind;
    private readonly double _baseRate;
    private readonly double _minRate;
    private readonly long _stepsPerEpoch;
    private readonly long _totalSteps;
    private readonly long _warmupSteps;
    private readonly int _stepEpochs;
    private readonly double _gamma;

    /// <summary>Creates the schedule for a run of <paramref name="totalSteps"/> steps.</summary>
    public LearningRateSchedule(LearningRateScheduleKind kind, double baseRate, long stepsPerEpoch, long totalSteps,
        double warmupEpochs = 0, int stepEpochs = 10, double gamma = 0.1, double minRate = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stepsPerEpoch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(totalSteps, 1);
        _kind = kind;
        _baseRate = baseRate;
        _minRate = minRate;
        _stepsPerEpoch = stepsPerEpoch;
        _totalSteps = totalSteps;
        _warmupSteps = (long)Math.Round(warmupEpochs * stepsPerEpoch);
        _stepEpochs = stepEpochs;
        _gamma = gamma;
    }

    /// <summary>The rate for 0-based step <paramref name="step"/>.</summary>
    public double At(long step)
    {
        var rate = Scheduled(step);
        return step < _warmupSteps ? rate * (step + 1) / _warmupSteps : rate;
    }

    private double Scheduled(long step)
    {
        var progress = Math.Clamp((double)step / Math.Max(1, _totalSteps - 1), 0, 1);
        switch (_kind)
        {
            case LearningRateScheduleKind.Constant:
                return _baseRate;
            case LearningRateScheduleKind.Step:
                return _baseRate * Math.Pow(_gamma, step / _stepsPerEpoch / _stepEpochs);
            case LearningRateScheduleKind.Cosine:
                return _minRate + (_baseRate - _minRate) * 0.5 * (1 + Math.Cos(Math.PI * progress));
            case LearningRateScheduleKind.OneCycle:
                const double rise = 0.3;
                var start = _baseRate / 25;
                var end = _baseRate / 1e4;
                return progress < rise
                    ? Cosine(start, _baseRate, progress / rise)
                    : Cosine(_baseRate, end, (progress - rise) / (1 - rise));
            default:
                throw new ArgumentOutOfRangeException(nameof(_kind), _kind, "Unknown schedule.");
        }
    }

    private static double Cosine(double from, double to, double fraction) => to + (from - to) * 0.5 * (1 + Math.Cos(Math.PI * fraction));
}
