using System.CommandLine;

namespace Sharptime.Cli.Commands;

/// <summary><c>--bounds-checks explicit|guard</c>, shared by <c>run</c> and <c>wast</c>.</summary>
internal static class BoundsChecksOption
{
    public const string Name = "--bounds-checks";

    public static Option<string?> Create()
    {
        var option = new Option<string?>(Name)
        {
            Description = "How memory accesses are bounds-checked: 'explicit' compares every access, 'guard' relies on guard pages "
                + $"(default: guard on Linux x86-64, or the {Config.BoundsChecksVariable} environment variable).",
            HelpName = "explicit|guard",
        };
        option.AcceptOnlyFromAmong("explicit", "guard");
        return option;
    }

    /// <summary>A config with the mode asked for, or the defaults when the option was not given.</summary>
    public static Config ToConfig(string? value)
    {
        var config = new Config();
        if (value is not null) config.BoundsChecks = Config.ParseBoundsChecks(value);
        return config;
    }
}
