using Iced.Intel;
using Sharptime.Format;
using Sharptime.Vm;
using static Iced.Intel.AssemblerRegisters;
using static Sharptime.Compiler.X64.Registers;

namespace Sharptime.Compiler.X64;

/// <summary>
/// Compiles a whole module into one text section: every defined function, an array-call entry trampoline per
/// function, and the shared trap-raise stub. Calls between functions are relative, fixed when the block is encoded.
/// </summary>
internal sealed class ModuleCompilerX64
{
    private readonly ModuleInfo _info;
    private readonly VMContextLayout _layout;
    private readonly Assembler _a = new(64);
    private readonly Label[] _functionLabels;
    private Label _raise;

    public ModuleCompilerX64(ModuleInfo info, VMContextLayout layout)
    {
        _info = info;
        _layout = layout;
        _functionLabels = new Label[info.FunctionBodies.Count];
        for (int i = 0; i < _functionLabels.Length; i++) _functionLabels[i] = _a.CreateLabel();
        _raise = _a.CreateLabel();
    }

    public Label RaiseLabel => _raise;

    public Label FunctionLabel(int definedIndex) => _functionLabels[definedIndex];

    public CompiledModule Compile()
    {
        int n = _info.FunctionBodies.Count;
        var patches = new (Label after, int frame)[n];
        var compiler = new FunctionCompiler(this, _info, _layout);
        for (int i = 0; i < n; i++)
        {
            Bind(_a, ref _functionLabels[i]);
            patches[i] = compiler.Compile(_a, i);
        }
        var entries = new Label[n];
        for (int i = 0; i < n; i++)
        {
            entries[i] = _a.CreateLabel();
            Bind(_a, ref entries[i]);
            X64Trampolines.EmitArrayEntry(_a, _info.FunctionType((uint)(_info.ImportedFunctionCount + i)), _functionLabels[i]);
        }
        Bind(_a, ref _raise);
        X64Trampolines.EmitRaise(_a);

        var writer = new CodeWriterImpl();
        var result = _a.Assemble(writer, 0, BlockEncoderOptions.ReturnNewInstructionOffsets);
        var code = writer.ToArray();
        PatchJumpTables(result, code);
        var functionOffsets = new int[n];
        var entryOffsets = new int[n];
        for (int i = 0; i < n; i++)
        {
            functionOffsets[i] = (int)result.GetLabelRIP(_functionLabels[i]);
            entryOffsets[i] = (int)result.GetLabelRIP(entries[i]);
            // The prologue's `sub rsp, imm32` ends at the patch label.
            int at = (int)result.GetLabelRIP(patches[i].after) - 4;
            BitConverter.TryWriteBytes(code.AsSpan(at, 4), patches[i].frame);
        }
        return new CompiledModule { Code = code, FunctionOffsets = functionOffsets, ArrayEntryOffsets = entryOffsets };
    }

    private readonly List<(Label table, Label[] targets)> _jumpTables = [];
    private readonly Dictionary<ulong, Label> _bound = [];
    private int _lastBindPosition = -1;

    /// <summary>Binds a label here, remembering it: Label is a struct, so copies taken before binding go stale.</summary>
    public void Bind(Assembler a, ref Label label)
    {
        // Iced attaches a label to the next instruction and allows one per instruction.
        if (a.Instructions.Count == _lastBindPosition) a.zero_bytes();
        _lastBindPosition = a.Instructions.Count;
        a.Label(ref label);
        _bound[label.Id] = label;
    }

    /// <summary>
    /// A jump table: <paramref name="count"/> 32-bit offsets relative to the table start, filled in after encoding
    /// (Iced cannot put label addresses in data). The index is known to be in range.
    /// </summary>
    public void EmitJumpTable(Assembler a, AssemblerRegister64 index, Label[] labels, int count)
    {
        var table = a.CreateLabel();
        a.lea(Scratch, __[table]);
        a.movsxd(index, __dword_ptr[Scratch + index * 4]);
        a.add(Scratch, index);
        a.jmp(Scratch);
        Bind(a, ref table);
        for (int i = 0; i < count; i++) a.dd(0);
        _jumpTables.Add((table, labels[..count]));
    }

    private void PatchJumpTables(AssemblerResult result, byte[] code)
    {
        foreach (var (table, targets) in _jumpTables)
        {
            long start = (long)result.GetLabelRIP(table);
            for (int i = 0; i < targets.Length; i++)
            {
                var target = _bound[targets[i].Id];
                int relative = (int)((long)result.GetLabelRIP(target) - start);
                BitConverter.TryWriteBytes(code.AsSpan((int)start + 4 * i, 4), relative);
            }
        }
    }

    private sealed class CodeWriterImpl : CodeWriter
    {
        private byte[] _buffer = new byte[4096];
        private int _length;

        public override void WriteByte(byte value)
        {
            if (_length == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
            _buffer[_length++] = value;
        }

        public byte[] ToArray() => _buffer.AsSpan(0, _length).ToArray();
    }
}
