using Microsoft.ML;
using MlToolkit.Cli;
using MlToolkit.Cli.Output;

namespace MlToolkit.Tests.Cli;

/// <summary>Which exit code and message an exception becomes.</summary>
public sealed class ErrorReporterTests
{
    public sealed class Row
    {
        public float X { get; set; }
    }

    [Fact]
    public void An_argument_error_raised_inside_MLNET_is_a_bug_with_its_stack_trace_while_one_raised_by_our_checks_is_a_usage_error()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(new[] { new Row { X = 1 } });
        var inside = Assert.ThrowsAny<ArgumentException>(() => ml.Transforms.Concatenate("Features", "Missing").Fit(data).Transform(data));
        var stderr = new StringWriter();
        Assert.Equal(ExitCodes.InternalError, ErrorReporter.Report(inside, stderr));
        var lines = stderr.ToString().Split(Environment.NewLine);
        Assert.Equal($"error: unexpected {inside.GetType().Name}: {inside.Message}", lines[0]);
        Assert.StartsWith("   at Microsoft.ML.", lines[1]);

        var ours = Assert.Throws<ArgumentException>(() => ThrowUsage());
        var usage = new StringWriter();
        Assert.Equal(ExitCodes.UsageError, ErrorReporter.Report(ours, usage));
        Assert.Equal($"error: --label-col is required with --dataset.{Environment.NewLine}", usage.ToString());
    }

    [Fact]
    public void A_usage_error_does_not_end_with_the_csharp_parameter_it_was_raised_for()
    {
        var named = new ArgumentException("The pipeline has no predictor to export.", "model");
        Assert.EndsWith("(Parameter 'model')", named.Message);
        var stderr = new StringWriter();
        Assert.Equal(ExitCodes.UsageError, ErrorReporter.Report(named, stderr));
        Assert.Equal($"error: The pipeline has no predictor to export.{Environment.NewLine}", stderr.ToString());
    }

    private static void ThrowUsage() => throw new ArgumentException("--label-col is required with --dataset.");
}
