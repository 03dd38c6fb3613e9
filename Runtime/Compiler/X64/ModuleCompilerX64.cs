using Iced.Intel;
using Sharptime.Format;
using Sharptime.Vm;
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
    private readonly X64Emitter _a = new();
    private readonly CodeLabel[] _functionLabels;
    private CodeLabel _raise;

    public ModuleCompilerX64(ModuleInfo info, VMContextLayout layout)
    {
        _info = info;
        _layout = layout;
        _functionLabels = new CodeLabel[info.FunctionBodies.Count];
        for (int i = 0; i < _functionLabels.Length; i++) _functionLabels[i] = _a.CreateLabel();
        _raise = _a.CreateLabel();
    }

    public CodeLabel RaiseLabel => _raise;

    public CodeLabel FunctionLabel(int definedIndex) => _functionLabels[definedIndex];

    public CompiledModule Compile()
    {
        int n = _info.FunctionBodies.Count;
        var frameSizeFields = new (int at, int frame)[n];
        var compiler = new FunctionCompiler(this, _info, _layout);
        for (int i = 0; i < n; i++)
        {
            _a.Align(FunctionAlignment);
            _a.Bind(_functionLabels[i]);
            frameSizeFields[i] = compiler.Compile(_a, i);
        }
        var entries = new int[n];
        for (int i = 0; i < n; i++)
        {
            _a.Align(FunctionAlignment);
            entries[i] = _a.Position;
            X64Trampolines.EmitArrayEntry(_a, _info.FunctionType((uint)(_info.ImportedFunctionCount + i)), _functionLabels[i]);
        }
        _a.Align(FunctionAlignment);
        _a.Bind(_raise);
        X64Trampolines.EmitRaise(_a);

        foreach (var (at, frame) in frameSizeFields) _a.PatchInt32(at, frame);
        var code = _a.Finish();
        var functionOffsets = new int[n];
        for (int i = 0; i < n; i++) functionOffsets[i] = _a.OffsetOf(_functionLabels[i]);
        return new CompiledModule { Code = code, FunctionOffsets = functionOffsets, ArrayEntryOffsets = entries };
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
