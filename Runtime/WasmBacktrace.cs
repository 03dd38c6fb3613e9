using System.Text;
using Sharptime.Vm;

namespace Sharptime;

/// <summary>
/// The wasm frames on the stack at a trap or at a host call, innermost first. Very deep stacks (such as a stack
/// overflow) keep their first and last frames and count the ones in between.
/// </summary>
public sealed class WasmBacktrace
{
    /// <summary>The key under which a host exception thrown under wasm frames carries its backtrace in <see cref="Exception.Data"/>.</summary>
    public const string ExceptionDataKey = "Sharptime.WasmBacktrace";

    internal WasmBacktrace(WasmFrame[] frames, int omittedAt, int omitted)
    {
        Frames = frames;
        OmittedAt = omittedAt;
        OmittedFrames = omitted;
    }

    internal static WasmBacktrace Empty { get; } = new([], 0, 0);

    /// <summary>The frames kept, innermost first.</summary>
    public IReadOnlyList<WasmFrame> Frames { get; }

    /// <summary>How many frames were left out between <see cref="Frames"/>[<see cref="OmittedAt"/> − 1] and [<see cref="OmittedAt"/>].</summary>
    public int OmittedFrames { get; }

    /// <summary>Where the omitted frames were (an index into <see cref="Frames"/>); meaningful when <see cref="OmittedFrames"/> &gt; 0.</summary>
    public int OmittedAt { get; }

    /// <summary>Every wasm frame that was on the stack, kept or not.</summary>
    public int TotalFrames => Frames.Count + OmittedFrames;

    /// <summary>
    /// The wasm frames below the host function now running (call it from inside a host function called by wasm).
    /// Empty when no wasm is on the stack or when <see cref="Config.WasmBacktrace"/> is off.
    /// </summary>
    public static WasmBacktrace Capture(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return Capture(caller.Store);
    }

    /// <summary>The wasm frames of <paramref name="store"/> below the host function now running.</summary>
    public static WasmBacktrace Capture(Store store)
    {
        ArgumentNullException.ThrowIfNull(store);
        store.ThrowIfDisposed();
        return store.Engine.Config.WasmBacktrace ? store.CaptureFromLastExit() : Empty;
    }

    /// <summary>The backtrace attached to a host exception that was thrown under wasm frames, or null.</summary>
    public static WasmBacktrace? FromException(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is TrapException trap) return trap.Backtrace;
        return exception.Data[ExceptionDataKey] as WasmBacktrace;
    }

    /// <summary>Formats the frames the way Wasmtime does: <c>wasm backtrace:</c>, then one line per frame.</summary>
    public override string ToString()
    {
        var text = new StringBuilder("wasm backtrace:");
        for (int i = 0; i < Frames.Count; i++)
        {
            if (OmittedFrames > 0 && i == OmittedAt) text.Append("\n      ... ").Append(OmittedFrames).Append(" frames omitted ...");
            int number = OmittedFrames > 0 && i >= OmittedAt ? i + OmittedFrames : i;
            text.Append('\n').Append(' ', 2).Append(number.ToString().PadLeft(3)).Append(": ").Append(Frames[i]);
        }
        return text.ToString();
    }
}

/// <summary>One wasm frame of a <see cref="WasmBacktrace"/>.</summary>
public sealed class WasmFrame
{
    internal WasmFrame(string? moduleName, uint functionIndex, string? functionName, int? moduleOffset, int? functionOffset)
    {
        ModuleName = moduleName;
        FunctionIndex = functionIndex;
        FunctionName = functionName;
        ModuleOffset = moduleOffset;
        FunctionOffset = functionOffset;
    }

    /// <summary>The module's name (name section, or the name it was loaded under), or null.</summary>
    public string? ModuleName { get; }

    /// <summary>The function's index in the module's function index space (imports first).</summary>
    public uint FunctionIndex { get; }

    /// <summary>The function's name from the name section, or null.</summary>
    public string? FunctionName { get; }

    /// <summary>Byte offset of the executing instruction in the module binary; null without an address map.</summary>
    public int? ModuleOffset { get; }

    /// <summary>Byte offset of the executing instruction from the start of the function body; null without an address map.</summary>
    public int? FunctionOffset { get; }

    /// <summary><c>0x2a - module!function</c>, with <c>&lt;unknown&gt;</c> and <c>funcN</c> for missing names.</summary>
    public override string ToString()
    {
        string name = $"{ModuleName ?? "<unknown>"}!{FunctionName ?? "func" + FunctionIndex}";
        return ModuleOffset is { } offset ? $"{("0x" + offset.ToString("x")).PadLeft(6)} - {name}" : name;
    }
}
