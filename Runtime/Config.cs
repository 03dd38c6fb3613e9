namespace Sharptime;

/// <summary>Settings an <see cref="Engine"/> is created with. Changing a config after creating an engine has no effect on it.</summary>
public sealed partial class Config
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

    /// <summary>
    /// How loads and stores are kept inside their 32-bit memory. Defaults to <see cref="Sharptime.BoundsChecks.GuardPages"/>
    /// on Linux x86-64 unless the environment variable <c>SHARPTIME_BOUNDS_CHECKS</c> is <c>explicit</c> when the
    /// config is created (<c>guard</c> selects guard pages); elsewhere <see cref="Sharptime.BoundsChecks.Explicit"/>.
    /// </summary>
    public BoundsChecks BoundsChecks
    {
        get => _boundsChecks;
        set
        {
            if (!Enum.IsDefined(value)) throw new ArgumentOutOfRangeException(nameof(value), value, "unknown bounds-check mode");
            _boundsChecks = value;
        }
    }

    private BoundsChecks _boundsChecks = ParseBoundsChecks(Environment.GetEnvironmentVariable(BoundsChecksVariable));

    private ulong _memoryReservation = FourGiB;

    /// <summary>
    /// Address space, in bytes, reserved up front for each 32-bit memory in <see cref="Sharptime.BoundsChecks.GuardPages"/>
    /// mode (unused in explicit mode, where a memory reserves its maximum size). Default and minimum 4 GiB, the whole
    /// 32-bit index range; at most 64 GiB; a multiple of 64 KiB. Bytes beyond 4 GiB act as guard region.
    /// </summary>
    public ulong MemoryReservation
    {
        get => _memoryReservation;
        set
        {
            if (value < FourGiB || value > 16 * FourGiB || value % 65536 != 0)
                throw new ArgumentOutOfRangeException(nameof(value), value, "MemoryReservation must be a multiple of 64 KiB between 4 GiB and 64 GiB.");
            _memoryReservation = value;
        }
    }

    private ulong _memoryGuardSize = FourGiB / 2;

    /// <summary>
    /// Inaccessible address space, in bytes, reserved after each 32-bit memory's <see cref="MemoryReservation"/> in
    /// <see cref="Sharptime.BoundsChecks.GuardPages"/> mode. A load or store whose static offset plus access size fits
    /// in the reservation beyond 4 GiB plus this guard needs no explicit check; larger offsets keep one. Default
    /// 2 GiB; at most 4 GiB; a multiple of 64 KiB.
    /// </summary>
    public ulong MemoryGuardSize
    {
        get => _memoryGuardSize;
        set
        {
            if (value > FourGiB || value % 65536 != 0)
                throw new ArgumentOutOfRangeException(nameof(value), value, "MemoryGuardSize must be a multiple of 64 KiB of at most 4 GiB.");
            _memoryGuardSize = value;
        }
    }

    private const ulong FourGiB = 1UL << 32;

    /// <summary>Environment variable that picks the default <see cref="BoundsChecks"/> (<c>guard</c> or <c>explicit</c>).</summary>
    internal const string BoundsChecksVariable = "SHARPTIME_BOUNDS_CHECKS";

    /// <summary>Whether guard-page memories can work here: the signal handler is x86-64 Linux machine code.</summary>
    internal static bool GuardPagesSupported =>
        OperatingSystem.IsLinux() && System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.X64;

    /// <summary>The default <see cref="BoundsChecks"/> for a value of <see cref="BoundsChecksVariable"/> (null when unset).</summary>
    internal static BoundsChecks ParseBoundsChecks(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "explicit" => BoundsChecks.Explicit,
        "guard" or "guard-pages" or "guardpages" => BoundsChecks.GuardPages,
        _ => GuardPagesSupported ? BoundsChecks.GuardPages : BoundsChecks.Explicit,
    };

    /// <summary>
    /// Bytes reserved for each 32-bit memory (reservation plus guard), or 0 when memories reserve only their maximum
    /// (explicit checks, or a platform without the signal handler).
    /// </summary>
    internal ulong GuardedMemoryReservation =>
        BoundsChecks == BoundsChecks.GuardPages && GuardPagesSupported ? MemoryReservation + MemoryGuardSize : 0;

    /// <summary>
    /// The largest static offset plus access size compiled code may leave unchecked: every effective address
    /// (a u32 index plus that) then lands in the reserved range. 0 means check every access.
    /// </summary>
    internal ulong UncheckedAccessLimit => GuardedMemoryReservation is var r and > 0 ? r - FourGiB : 0;

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
