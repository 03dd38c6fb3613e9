using System.CommandLine;
using System.CommandLine.Parsing;

namespace Sharptime.Cli.Commands;

/// <summary>
/// The engine and store options <c>run</c> and <c>wast</c> share: <c>--bounds-checks</c>, <c>--max-wasm-stack</c>.
/// </summary>
internal sealed class EngineOptions
{
    private readonly Option<string?> _boundsChecks = new("--bounds-checks")
    {
        Description = "How memory accesses are bounds-checked: 'explicit' compares every access, 'guard' relies on guard pages "
            + $"(default: guard on Linux x86-64, or the {Config.BoundsChecksVariable} environment variable).",
        HelpName = "explicit|guard",
    };

    private readonly Option<ulong?> _maxWasmStack = new("--max-wasm-stack")
    {
        Description = "The most native stack wasm frames may use before a stack-overflow trap (16KiB to 256MiB; default 512KiB).",
        HelpName = "BYTES",
        CustomParser = result => ParseSize(result, 16 * 1024, 256 * 1024 * 1024),
    };

    public EngineOptions() => _boundsChecks.AcceptOnlyFromAmong("explicit", "guard");

    /// <summary>The options that take a value, so guest arguments after FILE can be told apart from them.</summary>
    public static readonly string[] ValueOptionNames = ["--bounds-checks", "--max-wasm-stack"];

    /// <summary>Adds every option to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(_boundsChecks);
        command.Options.Add(_maxWasmStack);
    }

    /// <summary>The engine configuration the options ask for (defaults for options not given).</summary>
    public Config CreateConfig(ParseResult parse)
    {
        var config = new Config();
        if (parse.GetValue(_boundsChecks) is { } mode) config.BoundsChecks = Config.ParseBoundsChecks(mode);
        if (parse.GetValue(_maxWasmStack) is { } stack) config.MaxWasmStack = (nuint)stack;
        return config;
    }

    private static ulong? ParseSize(ArgumentResult result, ulong min, ulong max)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        string name = ((OptionResult)result.Parent!).Option.Name;
        if (!Quantities.TryParseSize(text, out ulong value, out string error))
            result.AddError($"{name}: {error}");
        else if (value < min || value > max)
            result.AddError($"{name}: {text} is out of range; give between {min} and {max} bytes");
        else
            return value;
        return null;
    }
}
