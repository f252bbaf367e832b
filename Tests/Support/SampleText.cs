using MlToolkit.Data.Samples;

namespace MlToolkit.Tests.Support;

/// <summary>The text of a built-in sample as a user's file holds it, for tests that hand the CLI or ML.NET a file.</summary>
public static class SampleText
{
    /// <summary>The whole file of sample <paramref name="name"/> (header included).</summary>
    public static string Read(string name)
    {
        using var reader = SampleDatasets.Get(name).OpenSource().OpenReader();
        return reader.ReadToEnd();
    }
}
