using System.Globalization;

namespace Sharptime.Cli.Commands;

/// <summary>Parses the durations and byte sizes that engine options take (<c>200ms</c>, <c>2s</c>, <c>64MiB</c>).</summary>
internal static class Quantities
{
    // Two-letter units first, so "200ms" is not read as "200m" followed by junk.
    private static readonly (string Suffix, double Ticks)[] DurationUnits =
    [
        ("us", TimeSpan.TicksPerMicrosecond),
        ("ms", TimeSpan.TicksPerMillisecond),
        ("s", TimeSpan.TicksPerSecond),
        ("m", TimeSpan.TicksPerMinute),
        ("h", TimeSpan.TicksPerHour),
    ];

    // Binary multiples whatever the spelling: memory sizes are page multiples, so "64M" meaning 64,000,000 helps nobody.
    // Longer suffixes first, so "64kib" is not read as "64ki" bytes.
    private static readonly (string Suffix, ulong Factor)[] SizeUnits =
    [
        ("kib", 1UL << 10), ("mib", 1UL << 20), ("gib", 1UL << 30),
        ("kb", 1UL << 10), ("mb", 1UL << 20), ("gb", 1UL << 30),
        ("k", 1UL << 10), ("m", 1UL << 20), ("g", 1UL << 30),
        ("b", 1),
    ];

    /// <summary>A positive duration with a unit: <c>us</c>, <c>ms</c>, <c>s</c>, <c>m</c> or <c>h</c> (e.g. <c>1.5s</c>).</summary>
    public static bool TryParseDuration(string text, out TimeSpan value, out string error)
    {
        value = default;
        string t = text.Trim().ToLowerInvariant();
        foreach (var (suffix, ticks) in DurationUnits)
        {
            if (!t.EndsWith(suffix, StringComparison.Ordinal)) continue;
            string number = t[..^suffix.Length];
            if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double n) || double.IsInfinity(n))
                break;
            double total = n * ticks;
            if (total < 1 || total > TimeSpan.MaxValue.Ticks)
            {
                error = $"'{text}' is out of range: give a duration between 1us and {TimeSpan.MaxValue.TotalHours:0}h";
                return false;
            }
            value = TimeSpan.FromTicks((long)total);
            error = "";
            return true;
        }
        error = $"'{text}' is not a duration: give a number and a unit, e.g. 200ms, 2s, 1.5m (units: us, ms, s, m, h)";
        return false;
    }

    /// <summary>A byte count, optionally with a binary suffix: <c>65536</c>, <c>64KiB</c>, <c>16M</c>, <c>4GiB</c>.</summary>
    public static bool TryParseSize(string text, out ulong value, out string error)
    {
        value = 0;
        string t = text.Trim().ToLowerInvariant().Replace("_", "", StringComparison.Ordinal);
        ulong factor = 1;
        foreach (var (suffix, f) in SizeUnits)
        {
            if (t.EndsWith(suffix, StringComparison.Ordinal))
            {
                t = t[..^suffix.Length];
                factor = f;
                break;
            }
        }
        if (!ulong.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out ulong n))
        {
            error = $"'{text}' is not a size in bytes: give a whole number, optionally with a suffix, e.g. 65536, 64KiB, 16MiB, 4GiB";
            return false;
        }
        if (n > ulong.MaxValue / factor)
        {
            error = $"'{text}' is too large";
            return false;
        }
        value = n * factor;
        error = "";
        return true;
    }
}
