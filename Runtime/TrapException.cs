namespace Sharptime;

/// <summary>WebAssembly execution trapped.</summary>
public sealed class TrapException : Exception
{
    /// <summary>Creates a trap exception for <paramref name="code"/>.</summary>
    public TrapException(TrapCode code) : this(code, backtrace: null) { }

    /// <summary>Creates a trap exception with a custom message (for traps raised by host code).</summary>
    public TrapException(TrapCode code, string message) : base(message) => Code = code;

    internal TrapException(TrapCode code, WasmBacktrace? backtrace)
        : base(backtrace is { Frames.Count: > 0 }
            ? $"wasm trap: {TrapCodes.Message(code)}\n{backtrace}"
            : $"wasm trap: {TrapCodes.Message(code)}")
    {
        Code = code;
        Backtrace = backtrace;
    }

    /// <summary>What caused the trap.</summary>
    public TrapCode Code { get; }

    /// <summary>The wasm frames at the trap, innermost first; null when <see cref="Config.WasmBacktrace"/> is off.</summary>
    public WasmBacktrace? Backtrace { get; }
}

/// <summary>A module could not be instantiated: an import is missing or has the wrong kind or type.</summary>
public sealed class LinkException : Exception
{
    /// <summary>Creates a link error.</summary>
    public LinkException(string message) : base(message) { }
}
