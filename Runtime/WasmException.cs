namespace Sharptime;

/// <summary>Base type of the errors Sharptime reports for WebAssembly input it cannot accept.</summary>
public abstract class WasmException : Exception
{
    private protected WasmException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>
/// The input is not a well-formed WebAssembly module: the binary cannot be decoded, or the text cannot be parsed.
/// </summary>
/// <remarks>
/// Binary errors carry <see cref="ByteOffset"/>; text errors carry <see cref="Line"/> and <see cref="Column"/>.
/// </remarks>
public sealed class MalformedModuleException : WasmException
{
    /// <summary>Creates an error at a byte offset of a binary module.</summary>
    public MalformedModuleException(string reason, long byteOffset)
        : base($"malformed module at byte offset 0x{byteOffset:x}: {reason}")
    {
        Reason = reason;
        ByteOffset = byteOffset;
    }

    /// <summary>Creates an error at a position of a text module.</summary>
    public MalformedModuleException(string reason, string? fileName, int line, int column)
        : base($"{fileName ?? "<text>"}:{line}:{column}: {reason}")
    {
        Reason = reason;
        FileName = fileName;
        Line = line;
        Column = column;
    }

    /// <summary>What is wrong, without the location.</summary>
    public string Reason { get; }

    /// <summary>Offset of the offending byte in a binary module, when the input was binary.</summary>
    public long? ByteOffset { get; }

    /// <summary>Name of the text source, when the input was text and a name was given.</summary>
    public string? FileName { get; }

    /// <summary>1-based line of the offending token, when the input was text.</summary>
    public int? Line { get; }

    /// <summary>1-based column of the offending token, when the input was text.</summary>
    public int? Column { get; }
}

/// <summary>The module decodes but breaks a validation rule of the WebAssembly specification.</summary>
public sealed class InvalidModuleException : WasmException
{
    /// <summary>Creates a validation error at a byte offset of the binary module.</summary>
    public InvalidModuleException(string reason, long byteOffset, int? functionIndex = null)
        : base(functionIndex is int f
            ? $"invalid module at byte offset 0x{byteOffset:x} (function {f}): {reason}"
            : $"invalid module at byte offset 0x{byteOffset:x}: {reason}")
    {
        Reason = reason;
        ByteOffset = byteOffset;
        FunctionIndex = functionIndex;
    }

    /// <summary>What rule is broken, without the location.</summary>
    public string Reason { get; }

    /// <summary>Offset in the binary module of the construct that breaks the rule.</summary>
    public long ByteOffset { get; }

    /// <summary>Index of the function whose body is invalid, when the error is inside a body.</summary>
    public int? FunctionIndex { get; }
}
