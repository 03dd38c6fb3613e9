using Sharptime.Compiler;
using Sharptime.Format;
using Sharptime.Vm.Signals;

namespace Sharptime.Vm;

/// <summary>
/// A module's machine code once it is executable, with what is needed to turn its addresses back into wasm
/// terms: function boundaries, the address map, the trap table and names.
/// </summary>
internal sealed class LoadedCode
{
    public LoadedCode(CompiledModule compiled, CodeMemory memory, ModuleInfo info, string? moduleName)
    {
        Compiled = compiled;
        Memory = memory;
        Info = info;
        ModuleName = moduleName;
    }

    public CompiledModule Compiled { get; }
    public CodeMemory Memory { get; }
    public ModuleInfo Info { get; }
    public string? ModuleName { get; }

    public nint Start => Memory.Address;
    public int Length => Memory.Length;
}

/// <summary>
/// Every loaded text section in the process, sorted by address, for mapping a PC to its module. Readers take
/// a snapshot array without locking; writers replace it under a lock. Code with guard-page fault sites is also
/// published to the native <see cref="FaultRegistry"/> the signal handler reads (before it can run).
/// </summary>
internal static class CodeRegistry
{
    private static readonly Lock s_gate = new();
    private static LoadedCode[] s_byAddress = [];

    public static void Register(LoadedCode code)
    {
        FaultRegistry.Register(code.Start, code.Length, code.Compiled.FaultSites.Span, code.Compiled.MemoryTrapEntryOffset);
        lock (s_gate)
        {
            var next = new LoadedCode[s_byAddress.Length + 1];
            int at = 0;
            while (at < s_byAddress.Length && s_byAddress[at].Start < code.Start) at++;
            Array.Copy(s_byAddress, 0, next, 0, at);
            next[at] = code;
            Array.Copy(s_byAddress, at, next, at + 1, s_byAddress.Length - at);
            s_byAddress = next;
        }
    }

    public static void Unregister(LoadedCode code)
    {
        lock (s_gate)
        {
            int at = Array.IndexOf(s_byAddress, code);
            if (at < 0) return;
            var next = new LoadedCode[s_byAddress.Length - 1];
            Array.Copy(s_byAddress, 0, next, 0, at);
            Array.Copy(s_byAddress, at + 1, next, at, next.Length - at);
            s_byAddress = next;
        }
        FaultRegistry.Unregister(code.Start);
    }

    /// <summary>The loaded code containing <paramref name="pc"/>, or null.</summary>
    public static LoadedCode? Lookup(nint pc)
    {
        var all = s_byAddress;
        int lo = 0, hi = all.Length - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            var c = all[mid];
            if (pc < c.Start) hi = mid - 1;
            else if (pc >= c.Start + c.Length) lo = mid + 1;
            else return c;
        }
        return null;
    }
}
