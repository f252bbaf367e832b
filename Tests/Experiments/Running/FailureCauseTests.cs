using MlToolkit.Experiments.Running;

namespace MlToolkit.Tests.Experiments.Running;

public sealed class FailureCauseTests
{
    [Fact]
    public void A_toolkit_error_wrapping_a_library_error_is_reported_not_the_library_error()
    {
        var library = new ArgumentNullException("items");
        var toolkit = new UnusableModelException("LightGBM grew no split.", library);

        Assert.Same(toolkit, FailureCause.Of(new AggregateException(toolkit)));
    }

    [Fact]
    public void Without_a_toolkit_error_the_innermost_cause_is_reported()
    {
        var cause = new FormatException("bad value");

        Assert.Same(cause, FailureCause.Of(new InvalidOperationException("Shuffle input cursor reader failed", cause)));
    }
}
