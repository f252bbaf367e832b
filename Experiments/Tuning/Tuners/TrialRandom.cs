namespace MlToolkit.Experiments.Tuning.Tuners;

/// <summary>Random streams that depend only on the tuner seed and the trial number, so that proposals replay exactly.</summary>
internal static class TrialRandom
{
    public static Random For(int seed, int trialNumber, int stream = 0) =>
        new(unchecked((int)Mix((uint)seed * 0x9E3779B1u ^ (uint)trialNumber * 0x85EBCA77u ^ (uint)stream * 0xC2B2AE3Du)));

    private static uint Mix(uint x)
    {
        x ^= x >> 16;
        x *= 0x7FEB352Du;
        x ^= x >> 15;
        x *= 0x846CA68Bu;
        x ^= x >> 16;
        return x & 0x7FFFFFFF;
    }
}
