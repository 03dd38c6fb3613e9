using Sharptime.Cli.Commands;

namespace Sharptime.Cli.Tests;

/// <summary>The durations and sizes engine options take.</summary>
public sealed class QuantityParsingTests
{
    [Theory]
    [InlineData("200ms", 200 * TimeSpan.TicksPerMillisecond)]
    [InlineData("2s", 2 * TimeSpan.TicksPerSecond)]
    [InlineData("1.5s", 15 * TimeSpan.TicksPerSecond / 10)]
    [InlineData("750us", 750 * TimeSpan.TicksPerMicrosecond)]
    [InlineData("3m", 3 * TimeSpan.TicksPerMinute)]
    [InlineData("1h", TimeSpan.TicksPerHour)]
    [InlineData(" 10MS ", 10 * TimeSpan.TicksPerMillisecond)]
    public void DurationsTakeANumberAndAUnit(string text, long ticks)
    {
        Assert.True(Quantities.TryParseDuration(text, out var value, out _));
        Assert.Equal(TimeSpan.FromTicks(ticks), value);
    }

    [Theory]
    [InlineData("200")]
    [InlineData("ms")]
    [InlineData("-5s")]
    [InlineData("2 days")]
    [InlineData("0s")]
    [InlineData("1e400s")]
    public void DurationsWithoutAValidNumberAndUnitAreRefusedWithTheAcceptedForm(string text)
    {
        Assert.False(Quantities.TryParseDuration(text, out _, out string error));
        Assert.Contains($"'{text}'", error);
    }

    [Theory]
    [InlineData("65536", 65536UL)]
    [InlineData("64KiB", 64UL << 10)]
    [InlineData("64k", 64UL << 10)]
    [InlineData("16MiB", 16UL << 20)]
    [InlineData("16mb", 16UL << 20)]
    [InlineData("4GiB", 4UL << 30)]
    [InlineData("1_048_576", 1UL << 20)]
    [InlineData("10b", 10UL)]
    public void SizesAreBytesWithOptionalBinarySuffixes(string text, ulong expected)
    {
        Assert.True(Quantities.TryParseSize(text, out ulong value, out _));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-1")]
    [InlineData("1.5MiB")]
    [InlineData("12 parsecs")]
    [InlineData("99999999999999999999GiB")]
    [InlineData("17179869184GiB")]
    public void SizesThatAreNotWholeByteCountsAreRefused(string text)
    {
        Assert.False(Quantities.TryParseSize(text, out _, out string error));
        Assert.NotEmpty(error);
    }
}
