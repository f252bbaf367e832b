using MlToolkit.Experiments.Tuning.SearchSpaces;

namespace MlToolkit.Tests.Experiments;

public sealed class SearchSpaceTests
{
    [Fact]
    public void Unit_coordinates_round_trip_for_every_parameter_kind()
    {
        var space = new SearchSpace().Float("lr", 1e-4, 1e-1, log: true).Int("leaves", 4, 256, log: true).Int("depth", 1, 3).Choice("opt", "adam", "sgd", "adamw");
        var random = new Random(3);
        for (var i = 0; i < 200; i++)
        {
            var sample = space.Sample(random);
            Assert.Equal(sample, space.Decode(space.Encode(sample)));
            Assert.InRange(sample.GetDouble("lr"), 1e-4, 1e-1);
            Assert.InRange(sample.GetInt("leaves"), 4, 256);
        }
        // Log scale: the geometric middle, and every integer reachable including both ends.
        Assert.Equal(Math.Sqrt(1e-5), space["lr"].FromUnit(0.5).Number, 12);
        var depths = Enumerable.Range(0, 100).Select(i => space["depth"].FromUnit(i / 99.0).Number).Distinct().OrderBy(v => v);
        Assert.Equal(new double[] { 1, 2, 3 }, depths);
    }

    [Fact]
    public void Branches_prefix_names_scope_back_and_condition_nested_parameters()
    {
        var space = TestObjectives.Conditional();
        Assert.Equal("kind ∈ {a, b}\na.x ∈ [-5, 5] if kind ∈ {a}\na.n ∈ {1..1000} log if kind ∈ {a}\nb.y ∈ [0.0001, 1] log if kind ∈ {b}\nb.c ∈ {p, q, r} if kind ∈ {b}\nb.m ∈ {0..10} if b.c ∈ {q}", space.Describe());
        var configuration = space.Configuration(new Dictionary<string, ParameterValue>
        {
            ["kind"] = ParameterValue.Of("b"), ["b.y"] = ParameterValue.Of(0.01), ["b.c"] = ParameterValue.Of("q"), ["b.m"] = ParameterValue.Of(3),
        });
        Assert.Equal("y=0.01, c=q, m=3", configuration.Scope("b").ToString());
        Assert.Equal(configuration, ParameterSet.FromJson(configuration.ToJson(), space));
        Assert.Equal("kind=a, a.x=-4, a.n=1", space.Defaults().ToString());
    }

    [Fact]
    public void Invalid_configurations_are_rejected_with_the_parameter_named()
    {
        var space = TestObjectives.Conditional();
        ArgumentException Reject(Dictionary<string, ParameterValue> values) => Assert.Throws<ArgumentException>(() => space.Configuration(values));
        Assert.StartsWith("The configuration has no value for 'a.n' ({1..1000} log)".Replace("({", "(a.n ∈ {"),
            Reject(new() { ["kind"] = ParameterValue.Of("a"), ["a.x"] = ParameterValue.Of(1.0) }).Message);
        Assert.StartsWith("'b.y' is set, but only applies when kind ∈ {b}.",
            Reject(new() { ["kind"] = ParameterValue.Of("a"), ["a.x"] = ParameterValue.Of(1.0), ["a.n"] = ParameterValue.Of(2), ["b.y"] = ParameterValue.Of(0.1) }).Message);
        Assert.StartsWith("'a.x' = 7 is outside a.x ∈ [-5, 5].",
            Reject(new() { ["kind"] = ParameterValue.Of("a"), ["a.x"] = ParameterValue.Of(7.0), ["a.n"] = ParameterValue.Of(2) }).Message);
        Assert.Throws<KeyNotFoundException>(() => space.Configuration(new Dictionary<string, ParameterValue> { ["zzz"] = ParameterValue.Of(1.0) }));
    }

    [Fact]
    public void Bad_declarations_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SearchSpace().Float("lr", 0, 1, log: true));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SearchSpace().Int("n", 5, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SearchSpace().Float("x", 0, 1, defaultValue: 2));
        Assert.Throws<ArgumentException>(() => new SearchSpace().Float("x", 0, 1).Float("x", 0, 2));
        var error = Assert.Throws<ArgumentException>(() => new SearchSpace().Choice("c", "a", "b").When("c", "z", s => s.Float("x", 0, 1)));
        Assert.StartsWith("'x' depends on c = 'z', which is not one of c ∈ {a, b}.", error.Message);
    }
}
