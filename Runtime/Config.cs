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

    internal Config Clone() => (Config)MemberwiseClone();
}
