namespace Sharptime.Tests.Vm.Debugging;

public sealed class ConfigDefaultsTests
{
    [Theory]
    [InlineData(null, ProfilingStrategy.None)]
    [InlineData("", ProfilingStrategy.None)]
    [InlineData("perfmap", ProfilingStrategy.PerfMap)]
    [InlineData("PerfMap", ProfilingStrategy.PerfMap)]
    [InlineData("jitdump", ProfilingStrategy.None)]
    public void SharptimeProfileSelectsThePerfMap(string? value, ProfilingStrategy expected) =>
        Assert.Equal(expected, Config.ParseProfilingStrategy(value));

    [Theory]
    [InlineData(null, false)]
    [InlineData("0", false)]
    [InlineData("1", true)]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    public void SharptimeDebugInfoTurnsOnDebugInfo(string? value, bool expected) =>
        Assert.Equal(expected, Config.ParseDebugInfo(value));

    [Fact]
    public void AnUnknownProfilingStrategyIsRejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new Config { ProfilingStrategy = (ProfilingStrategy)7 });
}
