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
    /// How compiled code is announced to native profilers. Defaults to <see cref="ProfilingStrategy.PerfMap"/> when
    /// the environment variable <c>SHARPTIME_PROFILE</c> is <c>perfmap</c> when the config is created, else
    /// <see cref="ProfilingStrategy.None"/>.
    /// </summary>
    public ProfilingStrategy ProfilingStrategy { get; set; } = ProfilingStrategyFromEnvironment();

    /// <summary>
    /// Whether loaded code is described to native debuggers through the GDB JIT interface (an in-memory ELF object
    /// per module with function names and unwind tables), so <c>gdb</c> shows wasm functions in <c>bt</c>. Costs
    /// a few kilobytes and a debugger notification per loaded module. Linux only. Defaults to true when the
    /// environment variable <c>SHARPTIME_DEBUG_INFO</c> is <c>1</c> or <c>true</c> when the config is created.
    /// </summary>
    public bool DebugInfo { get; set; } = DebugInfoFromEnvironment();

    /// <summary>Environment variable that turns on <see cref="ProfilingStrategy"/> by default (value <c>perfmap</c>).</summary>
    internal const string ProfileVariable = "SHARPTIME_PROFILE";

    /// <summary>Environment variable that turns on <see cref="DebugInfo"/> by default (value <c>1</c> or <c>true</c>).</summary>
    internal const string DebugInfoVariable = "SHARPTIME_DEBUG_INFO";

    internal static ProfilingStrategy ProfilingStrategyFromEnvironment() =>
        string.Equals(Environment.GetEnvironmentVariable(ProfileVariable), "perfmap", StringComparison.OrdinalIgnoreCase)
            ? ProfilingStrategy.PerfMap
            : ProfilingStrategy.None;

    internal static bool DebugInfoFromEnvironment() =>
        Environment.GetEnvironmentVariable(DebugInfoVariable) is { } v
            && (v == "1" || string.Equals(v, "true", StringComparison.OrdinalIgnoreCase));

    internal Config Clone() => (Config)MemberwiseClone();
}
