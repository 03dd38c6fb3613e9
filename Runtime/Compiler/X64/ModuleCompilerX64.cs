using System.Runtime.CompilerServices;
using Iced.Intel;
using Sharptime.Format;
using Sharptime.Vm;
using Sharptime.Vm.Unwind;
using static Iced.Intel.AssemblerRegisters;
using static Sharptime.Compiler.X64.Operands;
using static Sharptime.Compiler.X64.Registers;

namespace Sharptime.Compiler.X64;

/// <summary>
/// Compiles a whole module into one text section: every defined function, an array-call entry trampoline per
/// function, and the shared trap-raise stub, each 16-byte aligned. Calls between functions are relative, resolved
/// before the code is handed out.
/// </summary>
internal sealed class ModuleCompilerX64
{
    private readonly ModuleInfo _info;
    private readonly VMContextLayout _layout;
    private const int FunctionAlignment = 16;
    private readonly X64Emitter _a;
    private readonly CodeLabel[] _functionLabels;
    private CodeLabel _raise;

    private readonly bool _addressMap;
    // The address map and trap table as arrays and counts: they take an entry per operator or trap site (millions
    // in a large module), presized from the code size so they rarely grow.
    private int[] _mapCode;
    private int[] _mapWasm;
    private int _mapCount;
    private int[] _trapOffsets;
    private TrapCode[] _trapCodes;
    private int _trapCount;
    private readonly CodeLabel?[] _raiseEntries = new CodeLabel?[TrapCodes.Count];   // by trap code

    private readonly List<int> _faultSites = [];

    public ModuleCompilerX64(ModuleInfo info, VMContextLayout layout, bool addressMap, ulong uncheckedAccessLimit = 0,
        bool epochInterruption = false, bool consumeFuel = false)
    {
        UncheckedAccessLimit = uncheckedAccessLimit;
        EpochInterruption = epochInterruption;
        ConsumeFuel = consumeFuel;
        _info = info;
        _layout = layout;
        _addressMap = addressMap;
        // The baseline tier emits about five bytes of x86-64 per byte of wasm (bench/results/CompileThroughput.md).
        long bodyBytes = 0;
        foreach (var body in info.FunctionBodies) bodyBytes += body.Length;
        _a = new X64Emitter((int)Math.Min(6 * bodyBytes + 4096, Array.MaxLength));
        // About 0.3 address map entries and 0.03 trap sites per byte of wasm (same benchmark).
        int mapCapacity = addressMap ? (int)Math.Min(bodyBytes / 3 + 64, Array.MaxLength) : 0;
        _mapCode = GC.AllocateUninitializedArray<int>(mapCapacity);
        _mapWasm = GC.AllocateUninitializedArray<int>(mapCapacity);
        int trapCapacity = (int)Math.Min(bodyBytes / 24 + 64, Array.MaxLength);
        _trapOffsets = GC.AllocateUninitializedArray<int>(trapCapacity);
        _trapCodes = GC.AllocateUninitializedArray<TrapCode>(trapCapacity);
        _functionLabels = new CodeLabel[info.FunctionBodies.Count];
        for (int i = 0; i < _functionLabels.Length; i++) _functionLabels[i] = _a.CreateLabel();
        _raise = _a.CreateLabel();
    }

    public CodeLabel RaiseLabel => _raise;

    public CodeLabel FunctionLabel(int definedIndex) => _functionLabels[definedIndex];

    /// <summary>A module-level entry that loads <paramref name="code"/> into eax and jumps to the raise stub.</summary>
    public CodeLabel RaiseEntry(TrapCode code)
    {
        return _raiseEntries[(int)code] ??= _a.CreateLabel();
    }

    /// <summary>Code from <paramref name="codeOffset"/> on belongs to the operator at module offset <paramref name="wasmOffset"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void MapAddress(int codeOffset, int wasmOffset)
    {
        if (!_addressMap) return;
        int n = _mapCount;
        if (n > 0)
        {
            if (_mapCode[n - 1] == codeOffset)
            {
                _mapWasm[n - 1] = wasmOffset;   // the previous operator emitted nothing
                return;
            }
            if (_mapWasm[n - 1] == wasmOffset) return;
        }
        if (n == _mapCode.Length)
        {
            GrowArray(ref _mapCode, n);
            GrowArray(ref _mapWasm, n);
        }
        _mapCode[n] = codeOffset;
        _mapWasm[n] = wasmOffset;
        _mapCount = n + 1;
    }

    /// <summary>A trap stub's call returns to <paramref name="returnOffset"/>: the address the raise stub records.</summary>
    public void AddTrapSite(int returnOffset, TrapCode code)
    {
        int n = _trapCount;
        if (n == _trapOffsets.Length)
        {
            GrowArray(ref _trapOffsets, n);
            GrowArray(ref _trapCodes, n);
        }
        _trapOffsets[n] = returnOffset;
        _trapCodes[n] = code;
        _trapCount = n + 1;
    }

    private static void GrowArray<T>(ref T[] array, int used)
    {
        var larger = GC.AllocateUninitializedArray<T>(Math.Max(2 * array.Length, 64));
        array.AsSpan(0, used).CopyTo(larger);
        array = larger;
    }

    /// <summary>Loads and stores whose static offset plus size is at most this are left to the guard pages (0: none).</summary>
    public ulong UncheckedAccessLimit { get; }

    /// <summary>Whether functions check the epoch deadline at entry and loop headers.</summary>
    public bool EpochInterruption { get; }

    /// <summary>Whether functions count fuel and check it at entry and loop headers.</summary>
    public bool ConsumeFuel { get; }

    /// <summary>
    /// The unchecked access instruction at <paramref name="accessOffset"/> may fault. The signal handler then resumes
    /// at the memory trap's raise entry as if the instruction were a one-byte call: the recorded trap pc is
    /// <paramref name="accessOffset"/> + 1, so backtraces look up the access itself like any return address.
    /// </summary>
    public void AddFaultSite(int accessOffset)
    {
        RaiseEntry(TrapCode.MemoryOutOfBounds);
        _faultSites.Add(accessOffset);
        AddTrapSite(accessOffset + 1, TrapCode.MemoryOutOfBounds);
    }

    public CompiledModule Compile()
    {
        int n = _info.FunctionBodies.Count;
        var frameSizeFields = new (int at, int frame)[n];
        var functionEnds = new int[n];
        var unwind = new List<FunctionUnwind>(2 * n + 2);
        var compiler = new FunctionCompiler(this, _info, _layout);
        for (int i = 0; i < n; i++)
        {
            _a.Align(FunctionAlignment);
            _a.Bind(_functionLabels[i]);
            int start = _a.Position;
            var (frameSizeField, frameSize, popEnd) = compiler.Compile(_a, i);
            frameSizeFields[i] = (frameSizeField, frameSize);
            functionEnds[i] = _a.Position;
            unwind.Add(FunctionUnwind.RbpFrame(start, _a.Position - start, popEnd));
        }
        var entries = new int[n];
        for (int i = 0; i < n; i++)
        {
            _a.Align(FunctionAlignment);
            entries[i] = _a.Position;
            int popEnd = X64Trampolines.EmitArrayEntry(_a, _info.FunctionType((uint)(_info.ImportedFunctionCount + i)), _functionLabels[i], ConsumeFuel);
            unwind.Add(FunctionUnwind.RbpFrame(entries[i], _a.Position - entries[i], popEnd,
                (5, UnwindRegister.Rbx), (7, UnwindRegister.R12), (9, UnwindRegister.R13), (11, UnwindRegister.R14), (13, UnwindRegister.R15)));
        }
        int entryTrampolinesEnd = _a.Position;
        _a.Align(FunctionAlignment);
        // Raise entries run with a trap stub's return address on top: the CIE's initial rule (CFA = rsp + 8).
        int raiseEntries = _a.Position;
        for (int trap = 0; trap < _raiseEntries.Length; trap++)
        {
            if (_raiseEntries[trap] is not { } label) continue;
            _a.Bind(label);
            _a.mov(eax, trap);
            _a.jmp(_raise);
        }
        if (_a.Position > raiseEntries) unwind.Add(new FunctionUnwind(raiseEntries, _a.Position - raiseEntries, []));
        _a.Bind(_raise);
        int raiseStub = _a.Position;
        X64Trampolines.EmitRaise(_a);
        // Only the raise stub's first instruction (pop rcx) runs on a frame a table can describe; then it switches stacks.
        unwind.Add(new FunctionUnwind(raiseStub, 1, []));

        foreach (var (at, frame) in frameSizeFields) _a.PatchInt32(at, frame);
        var code = _a.Finish();
        // Fault sites are recorded inline, stub sites at each function's end: sort the trap table by offset.
        var trapOffsets = _trapOffsets.AsSpan(0, _trapCount).ToArray();
        var trapCodes = _trapCodes.AsSpan(0, _trapCount).ToArray();
        if (_faultSites.Count > 0) Array.Sort(trapOffsets, trapCodes);
        var functionOffsets = new int[n];
        for (int i = 0; i < n; i++) functionOffsets[i] = _a.OffsetOf(_functionLabels[i]);
        return new CompiledModule
        {
            Code = code,
            FunctionOffsets = functionOffsets,
            FunctionEnds = functionEnds,
            ArrayEntryOffsets = entries,
            EntryTrampolinesEnd = entryTrampolinesEnd,
            RaiseEntriesOffset = raiseEntries,
            RaiseStubOffset = raiseStub,
            Unwind = [.. unwind],
            AddressMap = new AddressMap(_mapCode.AsSpan(0, _mapCount).ToArray(), _mapWasm.AsSpan(0, _mapCount).ToArray()),
            TrapTable = new TrapTable(trapOffsets, trapCodes),
            FaultSites = _faultSites.ToArray(),
            MemoryTrapEntryOffset = _faultSites.Count > 0 ? _a.OffsetOf(_raiseEntries[(int)TrapCode.MemoryOutOfBounds]!.Value) : -1,
        };
    }

    /// <summary>
    /// A jump table: <paramref name="count"/> 32-bit offsets relative to the table start. The index is known to be
    /// in range.
    /// </summary>
    public void EmitJumpTable(X64Emitter a, AssemblerRegister64 index, CodeLabel[] labels, int count)
    {
        var table = a.CreateLabel();
        a.lea(Scratch, table);
        a.movsxd(index, dword_ptr[Scratch + index * 4]);
        a.add(Scratch, index);
        a.jmp(Scratch);
        a.Bind(table);
        for (int i = 0; i < count; i++) a.TableEntry(labels[i], table);
    }
}
