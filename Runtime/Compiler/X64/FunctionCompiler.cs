using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Iced.Intel;
using Sharptime.Format;
using Sharptime.Vm;
using static Iced.Intel.AssemblerRegisters;
using static Sharptime.Compiler.X64.Operands;
using static Sharptime.Compiler.X64.Registers;

namespace Sharptime.Compiler.X64;

/// <summary>
/// The baseline tier: one pass over a (validated) function body, emitting x86-64 through Iced. Values live on an
/// abstract stack (constants, registers, spill slots); everything is spilled to canonical slots at control-flow
/// merges and calls, so blocks and branches agree on where values are.
/// </summary>
/// <remarks>
/// Frame, growing down from rbp: [rbp+16+8i] parameter/result i (the caller's outgoing area), [rbp+8] return
/// address, [rbp] caller rbp, [rbp-8] vmctx, then declared locals, then one slot per value-stack position, then this function's outgoing call area at [rsp].
/// </remarks>
internal sealed partial class FunctionCompiler
{
    private readonly ModuleCompilerX64 _module;
    private readonly ModuleInfo _info;
    private readonly VMContextLayout _layout;
    private X64Emitter _a = null!;
    private FuncType _type = null!;
    private readonly LocalTypes _locals = new();
    private int _paramCount;
    private int _localCount;
    private int _slotBase;
    private int _maxOutgoing;
    private bool _unreachable;
    private int _deadDepth;
    private readonly List<Frame> _frames = [];
    private readonly List<Frame> _framePool = [];   // _framePool[i] is reused for the frame at depth i
    private readonly List<TrapStub> _trapStubs = [];
    private int _operatorOffset;   // module offset of the operator being compiled
    private CodeLabel _epilogue;

    public FunctionCompiler(ModuleCompilerX64 module, ModuleInfo info, VMContextLayout layout)
    {
        _module = module;
        _info = info;
        _layout = layout;
    }

    private sealed class Frame
    {
        public OperatorKind Kind;
        public CodeLabel Target;      // branch target: loop start, or the end of block/if/function
        public CodeLabel Else;
        public int Height;        // stack height below the block's parameters
        public ValType[] Params = [];
        public ValType[] Results = [];
        public bool Branched;     // some branch targets the end label
        public bool HasElse;
        /// <summary>For an if with parameters: how many original parameter values sit below <see cref="Height"/>.</summary>
        public int Shadowed;
        public int BranchArity => Kind == OperatorKind.Loop ? Params.Length : Results.Length;
    }

    internal enum OperatorKind : byte { Function, Block, Loop, If }

    /// <summary>
    /// Opens a control frame. Frames are reused by depth (a popped frame is dead once its end is compiled), so blocks
    /// allocate nothing.
    /// </summary>
    private Frame PushFrame(OperatorKind kind, CodeLabel target, int height, ValType[] parameters, ValType[] results)
    {
        int depth = _frames.Count;
        if (depth == _framePool.Count) _framePool.Add(new Frame());
        var frame = _framePool[depth];
        frame.Kind = kind;
        frame.Target = target;
        frame.Else = default;
        frame.Height = height;
        frame.Params = parameters;
        frame.Results = results;
        frame.Branched = false;
        frame.HasElse = false;
        frame.Shadowed = 0;
        _frames.Add(frame);
        return frame;
    }

    /// <summary>Compiles defined function <paramref name="definedIndex"/> at the current assembler position.</summary>
    /// <returns>The offset of the 4-byte frame-size immediate to patch, the frame size, and where the epilogue's <c>pop rbp</c> ends (from the function start).</returns>
    public (int frameSizeField, int frameSize, int popEnd) Compile(X64Emitter a, int definedIndex)
    {
        _a = a;
        int start = a.Position;
        uint funcIndex = (uint)(_info.ImportedFunctionCount + definedIndex);
        _type = _info.FunctionType(funcIndex);
        _paramCount = _type.Params.Length;
        var reader = OperatorReader.ForFunctionBody(_info, definedIndex);
        _locals.Reset(_type.Params);
        reader.ReadLocalDeclarations(_locals);
        _localCount = (int)_locals.Count;
        _slotBase = 8 + 8 * (_localCount - _paramCount);
        _maxOutgoing = 0;
        _depth = 0;
        _maxDepth = 0;
        _unreachable = false;
        _deadDepth = 0;
        _frames.Clear();
        _trapStubs.Clear();
        ResetInterruption();
        ResetRegisters();
        if (_fuel) _freeGpr &= unchecked((ushort)~(1 << R12));   // the fuel register
        AssignLocalRegisters(reader, definedIndex);
        _epilogue = a.CreateLabel();

        // Prologue. The frame size is patched once the body is compiled.
        _operatorOffset = _info.FunctionBodies[definedIndex].Offset;
        _module.MapAddress(a.Position, _operatorOffset);
        a.push(rbp);
        a.mov(rbp, rsp);
        a.sub(rsp, 0x7FFF_0000);
        int frameSizeField = a.Position - 4;
        a.mov(qword_ptr[rbp - 8], Vmctx);
        a.mov(Scratch, qword_ptr[Vmctx + VMContextLayout.StoreContext]);
        a.cmp(rsp, qword_ptr[Scratch + VMStoreContextLayout.StackLimit]);
        a.jb(TrapLabel(TrapCode.StackOverflow));
        EmitInterruptionChecks(atEntry: true);
        ZeroDeclaredLocals();
        ReloadRegisterLocals();
        if (_info.Memories.Count > 0) ReloadMemoryRegisters();

        PushFrame(OperatorKind.Function, _epilogue, 0, [], _type.Results);
        ReadOnlySpan<byte> code = reader.Code;
        int baseOffset = reader.BaseOffset;
        int pos = reader.Position;
        while (_frames.Count > 0)
        {
            _operatorOffset = baseOffset + pos;
            _module.MapAddress(_a.Position, _operatorOffset);
            if (_fuel && !_unreachable) ChargeFuel(code[pos]);
            // Common operators with simple immediates (the body is validated) are dispatched on their first byte,
            // without decoding a whole Operator: most operators, with two indirect jumps fewer each. The rest (and
            // dead code) go through the general reader.
            if (!_unreachable && (uint)pos + 1 < (uint)code.Length)
            {
                int length = TryCompileSimple(code, pos);
                if (length > 0)
                {
                    pos += length;
                    continue;
                }
            }
            reader.Position = pos;
            reader.Read(out var op);
            pos = reader.Position;
            if (_unreachable)
            {
                SkipUnreachable(ref op);
                continue;
            }
            if (op.Opcode is not (Opcode.BrIf or Opcode.If or Opcode.I32Eqz or Opcode.Select or Opcode.SelectTyped)) SettleFlags();
            CompileOperator(ref op);
        }

        // Epilogue: results are already in [rbp+16+8i].
        a.Bind(_epilogue);
        a.mov(rsp, rbp);
        a.pop(rbp);
        int popEnd = a.Position - start;
        a.ret();
        EmitEpochStubs();
        EmitTrapStubs();

        int frame = _slotBase + 8 * _maxDepth + 8 * _maxOutgoing;
        frame = (frame + 15) & ~15;
        return (frameSizeField, frame, popEnd);
    }

    /// <summary>
    /// Compiles the operator at <paramref name="pos"/> (which is not the body's last byte) when it is a common one
    /// whose immediates are quick to read here: numeric operators without immediates, local and global access,
    /// constants, loads and stores, call and br_if with a one-byte index. Does exactly what <see cref="CompileOperator"/>
    /// would; returns the operator's length, or 0 for anything else (then the general reader decodes it).
    /// </summary>
    /// <remarks>The body is validated, so immediates are well formed; LEB128s are still read with bounds checks.</remarks>
    private int TryCompileSimple(ReadOnlySpan<byte> code, int pos)
    {
        var op = (Opcode)code[pos];
        if (op is >= Opcode.I32Eqz and <= Opcode.I64Extend32S)
        {
            if (op != Opcode.I32Eqz) SettleFlags();
            if (op <= Opcode.I64Rotr)
            {
                if (op is >= Opcode.F32Eq and <= Opcode.F64Ge) CompileFloatCompare(op);
                else CompileInteger(op);
            }
            else if (op <= Opcode.F64Copysign) CompileFloatArithmetic(op);
            else CompileConversion(op);
            return 1;
        }
        if (op is >= Opcode.I32Load and <= Opcode.I64Store32)
        {
            // memarg: the alignment (one byte once validated: at most 3), then the offset.
            byte align = code[pos + 1];
            int end = ReadLebU32(code, pos + 2, out uint offset);
            SettleFlags();
            // The same fields OperatorReader.Read fills for a memarg.
            var memoryOp = new Operator
            {
                Opcode = op,
                Info = OperatorTable.GetSingleByte((byte)op)!,
                Offset = _operatorOffset,
                AlignLog2 = align,
                Bits = offset,
            };
            CompileMemoryAccess(ref memoryOp);
            return end - pos;
        }
        switch (op)
        {
            case Opcode.End:
                // Not the function's final end, which is the body's last byte.
                SettleFlags();
                CompileEnd();
                return 1;
            case Opcode.Else:
                SettleFlags();
                CompileElse();
                return 1;
            case Opcode.Drop:
                SettleFlags();
                Free(Pop());
                return 1;
            case Opcode.Select:
                CompileSelect();
                return 1;
            case Opcode.Return:
                SettleFlags();
                CompileReturn();
                return 1;
            case Opcode.I64Const:
            {
                int end = ReadLebS64(code, pos + 1, out long value);
                SettleFlags();
                PushConst(ValType.I64, value);
                return end - pos;
            }
            case Opcode.F32Const:
            {
                uint bits = BinaryPrimitives.ReadUInt32LittleEndian(code.Slice(pos + 1, 4));
                SettleFlags();
                PushConst(ValType.F32, bits);
                return 5;
            }
            case Opcode.F64Const:
            {
                ulong bits = BinaryPrimitives.ReadUInt64LittleEndian(code.Slice(pos + 1, 8));
                SettleFlags();
                PushConst(ValType.F64, (long)bits);
                return 9;
            }
        }
        byte next = code[pos + 1];
        if (next >= 0x80)
        {
            if (op != Opcode.I32Const) return 0;
            int end = ReadLebS32(code, pos + 1, out int value);
            SettleFlags();
            PushConst(ValType.I32, (uint)value);
            return end - pos;
        }
        switch (op)
        {
            case Opcode.Block:
            case Opcode.Loop:
            case Opcode.If:
            {
                // Block types of one byte: empty (0x40) or a value type (negative one-byte s33); type indices go the general way.
                BlockType bt;
                if (next == 0x40) bt = new BlockType(BlockTypeKind.Empty, default, 0);
                else if ((next & 0xC0) == 0x40) bt = new BlockType(BlockTypeKind.Value, (ValType)next, 0);
                else return 0;
                if (op == Opcode.If) CompileIf(bt);   // if consumes a flags condition as it is
                else
                {
                    SettleFlags();
                    CompileBlock(bt, op == Opcode.Block ? OperatorKind.Block : OperatorKind.Loop);
                }
                return 2;
            }
            case Opcode.Br:
                SettleFlags();
                CompileBr(next);
                return 2;
            case Opcode.LocalGet:
                SettleFlags();
                CompileLocalGet(next);
                return 2;
            case Opcode.LocalSet:
                SettleFlags();
                CompileLocalSet(next, tee: false);
                return 2;
            case Opcode.LocalTee:
                SettleFlags();
                CompileLocalSet(next, tee: true);
                return 2;
            case Opcode.GlobalGet:
                SettleFlags();
                CompileGlobalGet(next);
                return 2;
            case Opcode.I32Const:
                SettleFlags();
                PushConst(ValType.I32, (uint)((next << 25) >> 25));   // a one-byte signed LEB128
                return 2;
            case Opcode.Call:
                SettleFlags();
                CompileCall(next);
                return 2;
            case Opcode.BrIf:
                // br_if consumes a flags condition as it is (see the general loop).
                CompileBrIf(next);
                return 2;
        }
        return 0;
    }

    /// <summary>An unsigned LEB128 (well formed: the body is validated); returns the position after it.</summary>
    private static int ReadLebU32(ReadOnlySpan<byte> code, int pos, out uint value)
    {
        uint result = 0;
        for (int shift = 0; ; shift += 7)
        {
            uint b = code[pos++];
            result |= (b & 0x7F) << shift;
            if (b < 0x80) break;
        }
        value = result;
        return pos;
    }

    /// <summary>A signed 64-bit LEB128 (well formed: the body is validated); returns the position after it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]   // constants are common
    private static int ReadLebS64(ReadOnlySpan<byte> code, int pos, out long value)
    {
        long result = 0;
        int shift = 0;
        uint b;
        do
        {
            b = code[pos++];
            result |= (long)(b & 0x7F) << shift;
            shift += 7;
        } while (b >= 0x80);
        if (shift < 64 && (b & 0x40) != 0) result |= -1L << shift;   // sign-extend from the last byte's bit 6
        value = result;
        return pos;
    }

    /// <summary>A signed 32-bit LEB128 (well formed: the body is validated); returns the position after it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]   // constants are common
    private static int ReadLebS32(ReadOnlySpan<byte> code, int pos, out int value)
    {
        int result = 0, shift = 0;
        uint b;
        do
        {
            b = code[pos++];
            result |= (int)(b & 0x7F) << shift;
            shift += 7;
        } while (b >= 0x80);
        if (shift < 32 && (b & 0x40) != 0) result |= -1 << shift;   // sign-extend from the last byte's bit 6
        value = result;
        return pos;
    }

    private void ZeroDeclaredLocals()
    {
        int declared = _localCount - _paramCount;
        if (declared == 0) return;
        _a.xor(eax, eax);
        if (declared <= 16)
        {
            for (int j = 0; j < declared; j++) _a.mov(qword_ptr[rbp - (16 + 8 * j)], rax);
            return;
        }
        // rep stosq over [rbp-8-8*declared, rbp-8).
        _a.lea(rdi, qword_ptr[rbp - (8 + 8 * declared)]);
        _a.mov(ecx, declared);
        _a.rep_stosq();
    }

    private void ReloadMemoryRegisters()
    {
        _a.mov(MemDef, qword_ptr[Vmctx + _layout.Memory(0)]);
        _a.mov(MemBase, qword_ptr[MemDef + VMMemoryLayout.Base]);
    }

    /// <summary>Where local <paramref name="index"/> lives: parameters in the caller's area, declared locals in the frame.</summary>
    private Mem LocalQ(uint index) => new(Rbp, -1, 1, LocalDisplacement(index), OperandSize.Qword);

    private Mem LocalD(uint index) => new(Rbp, -1, 1, LocalDisplacement(index), OperandSize.Dword);

    /// <summary>rbp-relative offset of local <paramref name="index"/>'s slot.</summary>
    private int LocalDisplacement(uint index) =>
        index < _paramCount ? 16 + 8 * (int)index : -(16 + 8 * ((int)index - _paramCount));

    /// <summary>Pseudo trap code for stubs raising the code a builtin returned in eax.</summary>
    private const TrapCode TrapFromEax = 0;

    /// <summary>Pseudo trap code for stubs raising <see cref="TrapCodes.HostException"/> (an exception parked in the store).</summary>
    private const TrapCode TrapHostException = (TrapCode)TrapCodes.HostException;

    /// <summary>A trap site: a branch here raises <paramref name="code"/> at the current operator.</summary>
    /// <remarks>
    /// Every site gets its own out-of-line stub (a single call), so the return address the raise stub records
    /// identifies the site: the trap table and address map resolve it to a trap code and a wasm offset.
    /// </remarks>
    private CodeLabel TrapLabel(TrapCode code)
    {
        var label = _a.CreateLabel();
        _trapStubs.Add(new TrapStub(label, code, _operatorOffset, (int)_pendingFuel));
        return label;
    }

    /// <summary>A trap site; <see cref="Fuel"/> is the fuel still pending there, which the stub charges before raising.</summary>
    private readonly record struct TrapStub(CodeLabel Label, TrapCode Code, int WasmOffset, int Fuel);

    private void EmitTrapStubs()
    {
        foreach (var stub in _trapStubs)
        {
            _a.Bind(stub.Label);
            _module.MapAddress(_a.Position, stub.WasmOffset);
            // The entry trampoline's trap path stores the fuel register.
            if (stub.Fuel > 0) _a.lea(FuelRegister, qword_ptr[FuelRegister + stub.Fuel]);
            if (stub.Code == TrapHostException) _a.mov(eax, TrapCodes.HostException);
            bool raisesEax = stub.Code is TrapFromEax or TrapHostException;
            _a.call(raisesEax ? _module.RaiseLabel : _module.RaiseEntry(stub.Code));
            // The trap table holds real trap codes only; eax carries the code of these sites.
            _module.AddTrapSite(_a.Position, raisesEax ? TrapFromEax : stub.Code);
        }
    }

    /// <summary>In dead code only nesting matters: count blocks until the one that makes code live again.</summary>
    private void SkipUnreachable(ref Operator op)
    {
        switch (op.Opcode)
        {
            case Opcode.Block:
            case Opcode.Loop:
            case Opcode.If:
                _deadDepth++;
                break;
            case Opcode.Else:
                if (_deadDepth == 0) CompileElse();
                break;
            case Opcode.End:
                if (_deadDepth > 0) _deadDepth--;
                else CompileEnd();
                break;
        }
    }

    private ValType[] BlockParams(in BlockType bt) =>
        bt.Kind == BlockTypeKind.TypeIndex ? _info.Types[(int)bt.TypeIndex].Params : [];

    private ValType[] BlockResults(in BlockType bt) => bt.Kind switch
    {
        BlockTypeKind.Empty => [],
        BlockTypeKind.Value => SingleTypes[(byte)bt.ValueType],
        _ => _info.Types[(int)bt.TypeIndex].Results,
    };

    // One shared (never written) single-element array per value type, so value-typed blocks allocate nothing.
    private static readonly ValType[][] SingleTypes = CreateSingleTypes();

    private static ValType[][] CreateSingleTypes()
    {
        var table = new ValType[256][];
        for (int b = 0; b < 256; b++) table[b] = [(ValType)b];
        return table;
    }

    private void NoteOutgoing(int slots)
    {
        if (slots > _maxOutgoing) _maxOutgoing = slots;
    }
}
