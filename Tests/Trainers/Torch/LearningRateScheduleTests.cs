using MlToolkit.Trainers.Torch.Training;

namespace MlToolkit.Tests.Trainers.Torch;

public sealed class LearningRateScheduleTests
{
    [Fact]
    public void Constant_with_warmup_ramps_linearly_then_holds()
    {
        var schedule = new LearningRateSchedule(LearningRateScheduleKind.Constant, 0.1, stepsPerEpoch: 10, totalSteps: 100, warmupEpochs: 1);
        Assert.Equal(0.01, schedule.At(0), 12);
        Assert.Equal(0.05, schedule.At(4), 12);
        Assert.Equal(0.1, schedule.At(9), 12);
        Assert.Equal(0.1, schedule.At(99), 12);
    }

    [Fact]
    public void Step_decays_every_n_epochs()
    {
        var schedule = new LearningRateSchedule(LearningRateScheduleKind.Step, 1.0, stepsPerEpoch: 5, totalSteps: 50, stepEpochs: 3, gamma: 0.5);
        Assert.Equal(1.0, schedule.At(14), 12);
        Assert.Equal(0.5, schedule.At(15), 12);
        Assert.Equal(0.25, schedule.At(30), 12);
    }

    [Fact]
    public void Cosine_goes_from_base_to_minimum()
    {
        var schedule = new LearningRateSchedule(LearningRateScheduleKind.Cosine, 0.1, stepsPerEpoch: 10, totalSteps: 101, minRate: 0.001);
        Assert.Equal(0.1, schedule.At(0), 12);
        Assert.Equal(0.0505, schedule.At(50), 12);
        Assert.Equal(0.001, schedule.At(100), 12);
    }

    [Fact]
    public void One_cycle_rises_to_the_peak_at_30_percent_then_anneals()
    {
        var schedule = new LearningRateSchedule(LearningRateScheduleKind.OneCycle, 0.1, stepsPerEpoch: 10, totalSteps: 101);
        Assert.Equal(0.1 / 25, schedule.At(0), 12);
        Assert.Equal(0.1, schedule.At(30), 12);
        Assert.Equal(0.1 / 1e4, schedule.At(100), 12);
        var rates = Enumerable.Range(0, 101).Select(s => schedule.At(s)).ToList();
        Assert.Equal(30, rates.IndexOf(rates.Max()));
    }
}
