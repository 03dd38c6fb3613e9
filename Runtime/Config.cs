namespace Sharptime;

/// <summary>Settings an <see cref="Engine"/> is created with. Changing a config after creating an engine has no effect on it.</summary>
public sealed class Config
{
    private nuint _maxWasmStack = 512 * 1024;

    /// <summary>
    /// The most native stack, in bytes, that wasm frames may use below the outermost host-to-wasm call before a
    /// <see cref="TrapCode.StackOverflow"/> trap. Default 512 KiB; at least 16 KiB and at most 256 MiB.
    /// </summary>
    public nuint MaxWasmStack
    {
        get => _maxWasmStack;
        set
        {
            if (value < 16 * 1024 || value > 256 * 1024 * 1024)
                throw new ArgumentOutOfRangeException(nameof(value), value, "MaxWasmStack must be between 16 KiB and 256 MiB.");
            _maxWasmStack = value;
        }
    }

    /// <summary>
    /// Whether traps and <see cref="Sharptime.WasmBacktrace.Capture(Caller)"/> collect a wasm backtrace. Default on; off makes
    /// traps cheaper and leaves <see cref="TrapException.Backtrace"/> null.
    /// </summary>
    public bool WasmBacktrace { get; set; } = true;

    /// <summary>
    /// Whether compiled code carries an address map (machine code offset → wasm offset). Default on; off makes
    /// compiled modules smaller, and backtrace frames then have no offsets.
    /// </summary>
    public bool GenerateAddressMap { get; set; } = true;

    /// <summary>
    /// How compiled code is announced to native profilers. Defaults to <see cref="ProfilingStrategy.PerfMap"/> when
    /// the environment variable <c>SHARPTIME_PROFILE</c> is <c>perfmap</c> when the config is created, else
    /// <see cref="ProfilingStrategy.None"/>.
    /// </summary>
    public ProfilingStrategy ProfilingStrategy
    {
        get => _profilingStrategy;
        set
        {
            if (!Enum.IsDefined(value)) throw new ArgumentOutOfRangeException(nameof(value), value, "unknown profiling strategy");
            _profilingStrategy = value;
        }
    }

    private ProfilingStrategy _profilingStrategy = ParseProfilingStrategy(Environment.GetEnvironmentVariable(ProfileVariable));

    /// <summary>
    /// Whether loaded code is described to native debuggers through the GDB JIT interface (an in-memory ELF object
    /// per module with function names and unwind tables), so <c>gdb</c> shows wasm functions in <c>bt</c>. Costs
    /// a few kilobytes and a debugger notification per loaded module. Linux only. Defaults to true when the
    /// environment variable <c>SHARPTIME_DEBUG_INFO</c> is <c>1</c> or <c>true</c> when the config is created.
    /// </summary>
    public bool DebugInfo { get; set; } = ParseDebugInfo(Environment.GetEnvironmentVariable(DebugInfoVariable));

    /// <summary>Environment variable that turns on <see cref="ProfilingStrategy"/> by default (value <c>perfmap</c>).</summary>
    internal const string ProfileVariable = "SHARPTIME_PROFILE";

    /// <summary>Environment variable that turns on <see cref="DebugInfo"/> by default (value <c>1</c> or <c>true</c>).</summary>
    internal const string DebugInfoVariable = "SHARPTIME_DEBUG_INFO";

    /// <summary>The default <see cref="ProfilingStrategy"/> for a value of <see cref="ProfileVariable"/> (null when unset).</summary>
    internal static ProfilingStrategy ParseProfilingStrategy(string? value) =>
        string.Equals(value?.Trim(), "perfmap", StringComparison.OrdinalIgnoreCase) ? ProfilingStrategy.PerfMap : ProfilingStrategy.None;

    /// <summary>The default <see cref="DebugInfo"/> for a value of <see cref="DebugInfoVariable"/> (null when unset).</summary>
    internal static bool ParseDebugInfo(string? value) =>
        value?.Trim() is "1" || string.Equals(value?.Trim(), "true", StringComparison.OrdinalIgnoreCase);

    internal Config Clone() => (Config)MemberwiseClone();
}
