using System.Runtime.InteropServices;
using Sharptime.Compiler;
using Sharptime.Compiler.X64;
using Sharptime.Format;
using Sharptime.Text;
using Sharptime.Validation;
using Sharptime.Vm;

namespace Sharptime.Tests.Compiler;

/// <summary>
/// Runs compiled code without the VM: a hand-made vmctx (store context, one memory, no imports), enough to
/// check the compiler's output operator by operator.
/// </summary>
internal sealed unsafe class JitHarness : IDisposable
{
    private readonly ModuleInfo _info;
    private readonly CodeMemory _code;
    private readonly CompiledModule _compiled;
    private readonly nint _vmctx;
    private readonly nint _store;
    private readonly nint _memoryDef;
    private readonly nint _memory;
    private const int MemoryBytes = 65536;

    public JitHarness(string wat)
    {
        _info = WasmFrontEnd.DecodeAndValidate(Wat.ToBinary(wat));
        var layout = new VMContextLayout(_info);
        _compiled = ModuleCompiler.Compile(_info, layout);
        _code = new CodeMemory(_compiled.Code);
        _store = (nint)NativeMemory.AllocZeroed(VMStoreContextLayout.Size);
        _vmctx = (nint)NativeMemory.AllocZeroed((nuint)layout.Size);
        *(nint*)(_vmctx + VMContextLayout.StoreContext) = _store;
        _memory = (nint)NativeMemory.AllocZeroed(MemoryBytes);
        _memoryDef = (nint)NativeMemory.AllocZeroed(VMMemoryLayout.Size);
        *(nint*)(_memoryDef + VMMemoryLayout.Base) = _memory;
        *(long*)(_memoryDef + VMMemoryLayout.Length) = _info.Memories.Count > 0 ? MemoryBytes : 0;
        if (_info.Memories.Count > 0) *(nint*)(_vmctx + layout.Memory(0)) = _memoryDef;
    }

    public Span<byte> Memory => new((void*)_memory, MemoryBytes);

    public int LastTrapCode => *(int*)(_store + VMStoreContextLayout.TrapCode);

    /// <summary>Calls exported function <paramref name="name"/>; returns the raw result slots, or throws TrapException.</summary>
    public ValRaw[] Call(string name, params long[] args)
    {
        var export = _info.Exports.First(e => e.Name == name && e.Kind == ExternKind.Func);
        int defined = (int)export.Index - _info.ImportedFunctionCount;
        var type = _info.FunctionType(export.Index);
        int slots = Math.Max(type.Params.Length, type.Results.Length);
        var values = new ValRaw[Math.Max(slots, 1)];
        for (int i = 0; i < args.Length; i++) values[i].I64 = args[i];
        int local;
        *(nuint*)(_store + VMStoreContextLayout.StackLimit) = (nuint)(&local) - 256 * 1024;
        var entry = (delegate* unmanaged<nint, nint, ValRaw*, nuint, int>)(_code.Address + _compiled.ArrayEntryOffsets[defined]);
        int status;
        fixed (ValRaw* p = values) status = entry(_vmctx, 0, p, (nuint)slots);
        if (status != 0) throw new TrapException((TrapCode)LastTrapCode);
        return values[..type.Results.Length];
    }

    public int CallI32(string name, params long[] args) => Call(name, args)[0].I32;

    public long CallI64(string name, params long[] args) => Call(name, args)[0].I64;

    public void Dispose()
    {
        _code.Dispose();
        NativeMemory.Free((void*)_vmctx);
        NativeMemory.Free((void*)_store);
        NativeMemory.Free((void*)_memory);
        NativeMemory.Free((void*)_memoryDef);
    }
}
