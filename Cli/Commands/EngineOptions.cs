using System.CommandLine;
using System.CommandLine.Parsing;

namespace Sharptime.Cli.Commands;

/// <summary>
/// The engine and store options <c>run</c> and <c>wast</c> share: <c>--fuel</c>, <c>--timeout</c>, <c>--max-memory</c>,
/// <c>--max-wasm-stack</c>, <c>--bounds-checks</c>, <c>--pooling</c>.
/// </summary>
internal sealed class EngineOptions
{
    private readonly Option<ulong?> _fuel = new("--fuel")
    {
        Description = "Run with N units of fuel (about one per wasm operator executed); running out traps with 'all fuel consumed'.",
        HelpName = "N",
    };

    private readonly Option<TimeSpan?> _timeout = new("--timeout")
    {
        Description = "Interrupt wasm that is still running after DURATION (e.g. 200ms, 2s, 1m); it traps with 'interrupt'. "
            + "Checked at function entries and loop headers; a blocked host call is not interrupted.",
        HelpName = "DURATION",
        CustomParser = ParseDuration,
    };

    private readonly Option<ulong?> _maxMemory = new("--max-memory")
    {
        Description = "The most bytes each linear memory may grow to (e.g. 64MiB); memory.grow past it fails with -1.",
        HelpName = "BYTES",
        CustomParser = result => ParseSize(result, 0, long.MaxValue),
    };

    private readonly Option<ulong?> _maxWasmStack = new("--max-wasm-stack")
    {
        Description = "The most native stack wasm frames may use before a stack-overflow trap (16KiB to 256MiB; default 512KiB).",
        HelpName = "BYTES",
        CustomParser = result => ParseSize(result, 16 * 1024, 256 * 1024 * 1024),
    };

    private readonly Option<string?> _boundsChecks = new("--bounds-checks")
    {
        Description = "How memory accesses are bounds-checked: 'explicit' compares every access, 'guard' relies on guard pages "
            + $"(default: guard on Linux x86-64, or the {Config.BoundsChecksVariable} environment variable).",
        HelpName = "explicit|guard",
    };

    private readonly Option<bool> _pooling = new("--pooling")
    {
        Description = "Allocate instances, memories and tables from preallocated pools (the default pool sizes).",
    };

    public EngineOptions() => _boundsChecks.AcceptOnlyFromAmong("explicit", "guard");

    /// <summary>The options that take a value, so guest arguments after FILE can be told apart from them.</summary>
    public static readonly string[] ValueOptionNames = ["--fuel", "--timeout", "--max-memory", "--max-wasm-stack", "--bounds-checks"];

    /// <summary>Adds every option to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (Option option in (Option[])[_fuel, _timeout, _maxMemory, _maxWasmStack, _boundsChecks, _pooling])
            command.Options.Add(option);
    }

    /// <summary>The engine configuration the options ask for (defaults for options not given).</summary>
    public Config CreateConfig(ParseResult parse)
    {
        var config = new Config();
        if (parse.GetValue(_boundsChecks) is { } mode) config.BoundsChecks = Config.ParseBoundsChecks(mode);
        if (parse.GetValue(_maxWasmStack) is { } stack) config.MaxWasmStack = (nuint)stack;
        config.ConsumeFuel = parse.GetValue(_fuel) is not null;
        config.EpochInterruption = parse.GetValue(_timeout) is not null;
        if (parse.GetValue(_pooling)) config.PoolingAllocation(new PoolingAllocationConfig());
        return config;
    }

    /// <summary>What the options ask of each store: its fuel, memory limit and timeout.</summary>
    public StoreSettings CreateStoreSettings(ParseResult parse) =>
        new(parse.GetValue(_fuel), parse.GetValue(_timeout), parse.GetValue(_maxMemory));

    private static TimeSpan? ParseDuration(ArgumentResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        if (Quantities.TryParseDuration(text, out var value, out string error)) return value;
        result.AddError($"{OptionName(result)}: {error}");
        return null;
    }

    private static ulong? ParseSize(ArgumentResult result, ulong min, ulong max)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        if (!Quantities.TryParseSize(text, out ulong value, out string error))
            result.AddError($"{OptionName(result)}: {error}");
        else if (value < min || value > max)
            result.AddError($"{OptionName(result)}: {text} is out of range; give between {min} and {max} bytes");
        else
            return value;
        return null;
    }

    private static string OptionName(ArgumentResult result) => ((OptionResult)result.Parent!).Option.Name;
}

/// <summary>
/// Fuel, timeout and memory limit applied to a store. The timeout is an epoch deadline one tick away and a timer that
/// ticks the engine once when it expires; dispose the settings to stop the timers.
/// </summary>
internal sealed class StoreSettings(ulong? fuel, TimeSpan? timeout, ulong? maxMemory) : IDisposable
{
    private readonly List<Timer> _timers = [];

    /// <summary>Applies the settings to <paramref name="store"/>; the timeout starts counting now.</summary>
    public void Apply(Store store)
    {
        if (fuel is { } f) store.SetFuel(f);
        if (maxMemory is { } bytes) store.SetLimits(new StoreLimitsBuilder().MemorySize((long)bytes).Build());
        if (timeout is { } t)
        {
            store.SetEpochDeadline(1);
            var engine = store.Engine;
            lock (_timers) _timers.Add(new Timer(_ => engine.IncrementEpoch(), null, t, Timeout.InfiniteTimeSpan));
        }
    }

    /// <summary>Stops the timers that have not fired yet.</summary>
    public void Dispose()
    {
        lock (_timers)
        {
            foreach (var timer in _timers) timer.Dispose();
            _timers.Clear();
        }
    }
}
