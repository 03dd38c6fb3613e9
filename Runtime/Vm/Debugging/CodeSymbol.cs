namespace Sharptime.Vm.Debugging;

/// <summary>A named range of a text section: one function or trampoline, as debuggers and profilers show it.</summary>
/// <param name="Name">Display name, e.g. <c>calc!inner</c>.</param>
/// <param name="Offset">Offset of the first byte from the text start.</param>
/// <param name="Length">Length in bytes.</param>
internal readonly record struct CodeSymbol(string Name, int Offset, int Length);

/// <summary>Which outside parties learn about a loaded image's code.</summary>
[Flags]
internal enum CodeRegistrations
{
    None = 0,
    /// <summary>libgcc's <c>__register_frame</c> (needs <c>.eh_frame</c>).</summary>
    SystemUnwinder = 1,
    /// <summary>Lines in <c>/tmp/perf-&lt;pid&gt;.map</c>.</summary>
    PerfMap = 2,
    /// <summary>An in-memory ELF object announced through the GDB JIT interface.</summary>
    GdbJit = 4,
}

/// <summary>What a <see cref="CodeMemory"/> is told about the code it maps, beyond the bytes.</summary>
internal sealed class CodeImageInfo
{
    /// <summary>Name of the image in debuggers (the module name, or a description of the trampoline).</summary>
    public required string Name { get; init; }

    /// <summary><c>.eh_frame</c> bytes written for placement at <see cref="Unwind.EhFrameWriter.PlacementAfter"/>(text length), or empty.</summary>
    public byte[] EhFrame { get; init; } = [];

    /// <summary>The functions and trampolines in the text, by offset.</summary>
    public CodeSymbol[] Symbols { get; init; } = [];

    /// <summary>Which registrations to perform on map (each undone on dispose).</summary>
    public CodeRegistrations Registrations { get; init; } = CodeRegistrations.SystemUnwinder;

    /// <summary>The registrations a config asks for: the system unwinder always, perf map and GDB only when opted in.</summary>
    public static CodeRegistrations For(Config config)
    {
        var r = CodeRegistrations.SystemUnwinder;
        if (config.ProfilingStrategy == ProfilingStrategy.PerfMap) r |= CodeRegistrations.PerfMap;
        if (config.DebugInfo) r |= CodeRegistrations.GdbJit;
        return r;
    }
}
