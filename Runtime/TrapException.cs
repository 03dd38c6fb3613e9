namespace Sharptime;

/// <summary>WebAssembly execution trapped.</summary>
public sealed class TrapException : Exception
{
    /// <summary>Creates a trap exception for <paramref name="code"/>.</summary>
    public TrapException(TrapCode code) : base($"wasm trap: {TrapCodes.Message(code)}") => Code = code;

    /// <summary>Creates a trap exception with a custom message (for traps raised by host code).</summary>
    public TrapException(TrapCode code, string message) : base(message) => Code = code;

    /// <summary>What caused the trap.</summary>
    public TrapCode Code { get; }
}

/// <summary>A module could not be instantiated: an import is missing or has the wrong kind or type.</summary>
public sealed class LinkException : Exception
{
    /// <summary>Creates a link error.</summary>
    public LinkException(string message) : base(message) { }
}
