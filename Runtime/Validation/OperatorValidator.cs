using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Sharptime.Format;

namespace Sharptime.Validation;

internal enum ControlKind : byte
{
    /// <summary>The implicit block of the whole body; its label is the function's return.</summary>
    Function,
    Block,
    Loop,
    If,
    /// <summary>The else branch of an if.</summary>
    Else,
}

/// <summary>One entry of the control stack.</summary>
internal struct ControlFrame
{
    public ControlKind Kind;

    /// <summary>True once the rest of the frame is unreachable (after br, br_table, return, unreachable).</summary>
    public bool Unreachable;

    /// <summary>Operand stack height when the frame was entered (below its parameters' replacement).</summary>
    public int Height;

    /// <summary>Module offset of the operator that opened the frame.</summary>
    public int Offset;

    public ValType[] Params;
    public ValType[] Results;

    /// <summary>Types a branch to this frame carries: a loop's parameters, otherwise its results.</summary>
    public readonly ValType[] LabelTypes => Kind == ControlKind.Loop ? Params : Results;
}

/// <summary>
/// The specification's validation algorithm, fed one operator at a time so that a single-pass compiler can
/// validate while it emits code. Reusable across functions: <see cref="BeginFunction"/> resets it and keeps the
/// stacks' storage. Nothing is allocated per operator.
/// </summary>
/// <remarks>
/// Typical driver (see <see cref="FunctionBodyValidator"/>):
/// <code>
/// var reader = OperatorReader.ForFunctionBody(module, definedIndex);
/// locals.Reset(type.Params); reader.ReadLocalDeclarations(locals);
/// validator.BeginFunction(module, functionIndex, locals);
/// while (!validator.IsFunctionEnded) { reader.Read(out var op); /* compile */ validator.Validate(in op); }
/// reader.EnsureAtEnd();
/// </code>
/// A compiler looks at the stacks before calling <see cref="Validate"/> (e.g. the operand type that drop or an untyped
/// select consumes) and after it (what the operator pushed).
/// </remarks>
internal sealed partial class OperatorValidator
{
    /// <summary>The type of an operand of unreachable code that could be any type (the spec's "Unknown"/bottom).</summary>
    public const ValType Unknown = 0;

    private const string TypeMismatch = "type mismatch";
    private const string EndExpected = "END opcode expected";

    private static readonly ValType[] NoTypes = [];
    // One single-element array per value type, so value block types need no allocation.
    private static readonly ValType[][] SingleTypes = CreateSingleTypes();

    private ValType[] _operands = new ValType[64];
    private int _operandCount;
    private ControlFrame[] _frames = new ControlFrame[16];
    private int _frameCount;
    // Copies of the innermost frame's Height and Unreachable, so pops need not touch the frame array.
    private int _floor;
    private bool _polymorphic;

    // Weighted local.get/set/tee counts per local (see LocalUseRanking), for locals below _countedLocals.
    private int[] _useCounts = new int[64];
    private int _countedLocals;
    private int _loopDepth;
    private int _useWeight;

    private ModuleInfo _module = null!;
    private LocalTypes _locals = null!;
    private FuncType _functionType = null!;
    private int _functionIndex;

    public ModuleInfo Module => _module;
    public LocalTypes Locals => _locals;
    public FuncType FunctionType => _functionType;
    public int FunctionIndex => _functionIndex;

    /// <summary>Current operand stack, bottom first.</summary>
    public ReadOnlySpan<ValType> Operands => _operands.AsSpan(0, _operandCount);

    public int OperandCount => _operandCount;

    /// <summary>Number of open control frames, the function frame included (0 once the final end was validated).</summary>
    public int ControlDepth => _frameCount;

    /// <summary>True once the function's final <c>end</c> has been validated.</summary>
    public bool IsFunctionEnded => _frameCount == 0;

    /// <summary>True when the code at this point cannot be reached (a compiler emits nothing for it).</summary>
    public bool IsUnreachable => _polymorphic;

    /// <summary>The frame a branch with label index <paramref name="depth"/> targets (0 is the innermost).</summary>
    public ref readonly ControlFrame GetFrame(int depth)
    {
        if ((uint)depth >= (uint)_frameCount) throw new ArgumentOutOfRangeException(nameof(depth));
        return ref _frames[_frameCount - 1 - depth];
    }

    /// <summary>
    /// The operand <paramref name="depth"/> places below the top (0 is the top). Slots below the current frame's
    /// height read as <see cref="Unknown"/> in unreachable code, as the validation algorithm treats them.
    /// </summary>
    public ValType PeekOperand(int depth)
    {
        int index = _operandCount - 1 - depth;
        return index >= _floor ? _operands[index] : Unknown;
    }

    /// <summary>Starts validating function <paramref name="functionIndex"/>, whose locals (parameters first) are <paramref name="locals"/>.</summary>
    public void BeginFunction(ModuleInfo module, int functionIndex, LocalTypes locals)
    {
        _module = module;
        _locals = locals;
        _functionIndex = functionIndex;
        _functionType = FunctionTypeOf(module, (uint)functionIndex, 0);
        _operandCount = 0;
        _frameCount = 0;
        _loopDepth = 0;
        _useWeight = 1;
        // Functions with huge numbers of locals are left to the compiler's own count.
        _countedLocals = locals.Count <= LocalUseRanking.MaxCountedLocals ? (int)locals.Count : 0;
        if (_countedLocals > _useCounts.Length) _useCounts = new int[Math.Max(_countedLocals, 2 * _useCounts.Length)];
        _useCounts.AsSpan(0, _countedLocals).Clear();
        PushFrame(ControlKind.Function, NoTypes, _functionType.Results, 0);
    }

    /// <summary>Applies one operator to the stacks, or throws when it breaks a rule.</summary>
    public void Validate(in Operator op)
    {
        if (_frameCount == 0) throw new MalformedModuleException("section size mismatch: operators after the final end of the function", op.Offset);

        OperatorInfo info = op.Info;
        if (info.Params is { } parameters)
        {
            // Fixed-signature operators; some still carry immediates that need checking.
            if (info.Immediate > ImmediateKind.None) CheckImmediates(in op, info);
            for (int i = parameters.Length - 1; i >= 0; i--) PopExpected(parameters[i], op.Offset);
            var results = info.Results!;
            for (int i = 0; i < results.Length; i++) Push(results[i]);
            return;
        }

        ValidateSpecial(in op);
    }

    // ---- Operators with fixed signatures: immediate checks ----------------------------------------------------

    private void CheckImmediates(in Operator op, OperatorInfo info)
    {
        switch (info.Immediate)
        {
            case ImmediateKind.MemArg:
                CheckMemory(op.MemoryIndex, op.Offset);
                CheckAlignment(in op, info);
                break;
            case ImmediateKind.MemArgLane:
                CheckMemory(op.MemoryIndex, op.Offset);
                CheckAlignment(in op, info);
                CheckLane(op.Lane, info, op.Offset);
                break;
            case ImmediateKind.LaneIndex:
                CheckLane(op.Lane, info, op.Offset);
                break;
            case ImmediateKind.Shuffle:
                for (int i = 0; i < 16; i++) CheckLane(op.V128[i], info, op.Offset);
                break;
            case ImmediateKind.MemoryIndex:
                CheckMemory(op.MemoryIndex, op.Offset);
                break;
            case ImmediateKind.MemoryCopy:
                CheckMemory(op.MemoryIndex, op.Offset);
                CheckMemory(op.Index2, op.Offset);
                break;
            case ImmediateKind.MemoryInit:
                CheckMemory(op.MemoryIndex, op.Offset);
                CheckDataSegment(op.Index, op.Offset);
                break;
            case ImmediateKind.DataIndex:
                CheckDataSegment(op.Index, op.Offset);
                break;
            case ImmediateKind.ElemIndex:
                CheckElementSegment(op.Index, op.Offset);
                break;
            case ImmediateKind.TableIndex:
                TableElementType(op.Index, op.Offset);
                break;
            case ImmediateKind.TableInit:
            {
                ValType tableType = TableElementType(op.Index2, op.Offset);
                CheckElementSegment(op.Index, op.Offset);
                ValType segmentType = _module.Elements[(int)op.Index].ElementType;
                if (segmentType != tableType)
                    ThrowInvalid($"{TypeMismatch}: element segment {op.Index} holds {segmentType.Name()}, table {op.Index2} holds {tableType.Name()}", op.Offset);
                break;
            }
            case ImmediateKind.TableCopy:
            {
                ValType destination = TableElementType(op.Index, op.Offset);
                ValType source = TableElementType(op.Index2, op.Offset);
                if (destination != source)
                    ThrowInvalid($"{TypeMismatch}: table {op.Index2} holds {source.Name()}, table {op.Index} holds {destination.Name()}", op.Offset);
                break;
            }
            // Constants (I32, I64, F32, F64, V128) need no check.
        }
    }

    private void CheckAlignment(in Operator op, OperatorInfo info)
    {
        if (op.AlignLog2 > info.NaturalAlignmentLog2) ThrowInvalid("alignment must not be larger than natural", op.Offset);
    }

    private void CheckLane(byte lane, OperatorInfo info, int offset)
    {
        if (lane >= info.LaneCount) ThrowInvalid($"invalid lane index {lane}", offset);
    }

    // ---- Operators typed by hand --------------------------------------------------------------------------------

    private void ValidateSpecial(in Operator op)
    {
        int offset = op.Offset;
        switch (op.Opcode)
        {
            case Opcode.Unreachable:
                SetUnreachable();
                break;

            case Opcode.Nop:
                break;

            case Opcode.Block:
                ValidateBlock(ControlKind.Block, op.BlockType, offset);
                break;

            case Opcode.Loop:
                ValidateBlock(ControlKind.Loop, op.BlockType, offset);
                break;

            case Opcode.If:
                ValidateIf(op.BlockType, offset);
                break;

            case Opcode.Else:
                ValidateElse(offset);
                break;

            case Opcode.End:
                ValidateEnd(offset);
                break;

            case Opcode.Br:
                ValidateBr(op.Index, offset);
                break;

            case Opcode.BrIf:
                ValidateBrIf(op.Index, offset);
                break;

            case Opcode.BrTable:
                ValidateBrTable(in op);
                break;

            case Opcode.Return:
                ValidateReturn(offset);
                break;

            case Opcode.Call:
                ValidateCall(op.Index, offset);
                break;

            case Opcode.CallIndirect:
            {
                ValType elementType = TableElementType(op.Index2, offset);
                if (elementType != ValType.FuncRef)
                    ThrowInvalid($"{TypeMismatch}: call_indirect needs a funcref table, table {op.Index2} holds {elementType.Name()}", offset);
                var type = TypeAt(op.Index, offset);
                PopExpected(ValType.I32, offset);
                PopAll(type.Params, offset);
                PushAll(type.Results);
                break;
            }

            case Opcode.Drop:
                PopAny(offset);
                break;

            case Opcode.Select:
                ValidateSelect(offset);
                break;

            case Opcode.SelectTyped:
            {
                if (op.SelectTypeCount != 1) ThrowInvalid("invalid result arity", offset);
                ValType t = op.SelectType;
                PopExpected(ValType.I32, offset);
                PopExpected(t, offset);
                PopExpected(t, offset);
                Push(t);
                break;
            }

            case Opcode.LocalGet:
                Push(LocalType(op.Index, offset));
                CountUse(op.Index);
                break;

            case Opcode.LocalSet:
                PopExpected(LocalType(op.Index, offset), offset);
                CountUse(op.Index);
                break;

            case Opcode.LocalTee:
            {
                ValType t = LocalType(op.Index, offset);
                PopExpected(t, offset);
                Push(t);
                CountUse(op.Index);
                break;
            }

            case Opcode.GlobalGet:
                Push(Global(op.Index, offset).Type);
                break;

            case Opcode.GlobalSet:
                ValidateGlobalSet(op.Index, offset);
                break;

            case Opcode.TableGet:
            {
                ValType t = TableElementType(op.Index, offset);
                PopExpected(ValType.I32, offset);
                Push(t);
                break;
            }

            case Opcode.TableSet:
            {
                ValType t = TableElementType(op.Index, offset);
                PopExpected(t, offset);
                PopExpected(ValType.I32, offset);
                break;
            }

            case Opcode.TableGrow:
            {
                ValType t = TableElementType(op.Index, offset);
                PopExpected(ValType.I32, offset);
                PopExpected(t, offset);
                Push(ValType.I32);
                break;
            }

            case Opcode.TableFill:
            {
                ValType t = TableElementType(op.Index, offset);
                PopExpected(ValType.I32, offset);
                PopExpected(t, offset);
                PopExpected(ValType.I32, offset);
                break;
            }

            case Opcode.RefNull:
                Push(op.RefType);
                break;

            case Opcode.RefIsNull:
            {
                ValType t = PopAny(offset);
                if (t != Unknown && !t.IsReference()) ThrowInvalid($"{TypeMismatch}: ref.is_null needs a reference, found {t.Name()}", offset);
                Push(ValType.I32);
                break;
            }

            case Opcode.RefFunc:
                if (op.Index >= (uint)_module.FunctionTypeIndices.Count) ThrowInvalid($"unknown function {op.Index}", offset);
                if (!_module.DeclaredFunctionReferences.Contains(op.Index)) ThrowInvalid("undeclared function reference", offset);
                Push(ValType.FuncRef);
                break;

            default:
                // Every operator without a fixed signature is handled above; reaching here is a table error.
                throw new InvalidOperationException($"operator {op.Info.Name} has no signature and no special typing rule");
        }
    }

    // Typing rules shared by ValidateSpecial and the fused decoder (OperatorValidator.Fused.cs). Not inlined, so the
    // fused loop stays small enough to keep its state in registers.

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ValidateBlock(ControlKind kind, BlockType blockType, int offset)
    {
        ResolveBlockType(blockType, offset, out var parameters, out var results);
        PopAll(parameters, offset);
        PushFrame(kind, parameters, results, offset);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ValidateIf(BlockType blockType, int offset)
    {
        ResolveBlockType(blockType, offset, out var parameters, out var results);
        PopExpected(ValType.I32, offset);
        PopAll(parameters, offset);
        PushFrame(ControlKind.If, parameters, results, offset);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ValidateElse(int offset)
    {
        // In the binary format an else outside an if does not even decode.
        if (_frames[_frameCount - 1].Kind != ControlKind.If) throw new MalformedModuleException(EndExpected, offset);
        ControlFrame frame = PopFrame(offset);
        PushFrame(ControlKind.Else, frame.Params, frame.Results, frame.Offset);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ValidateEnd(int offset)
    {
        ControlFrame frame = PopFrame(offset);
        // An if without else has an implicit empty else, which must turn the parameters into the results.
        if (frame.Kind == ControlKind.If && !frame.Params.AsSpan().SequenceEqual(frame.Results))
            ThrowInvalid($"{TypeMismatch}: if without else must produce its parameters as results", offset);
        if (_frameCount > 0) PushAll(frame.Results);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ValidateBr(uint label, int offset)
    {
        PopAll(Label(label, offset).LabelTypes, offset);
        SetUnreachable();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ValidateBrIf(uint label, int offset)
    {
        PopExpected(ValType.I32, offset);
        var types = Label(label, offset).LabelTypes;
        PopAll(types, offset);
        PushAll(types);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ValidateReturn(int offset)
    {
        PopAll(_frames[0].Results, offset);
        SetUnreachable();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ValidateCall(uint functionIndex, int offset)
    {
        var type = FunctionTypeOf(_module, functionIndex, offset);
        PopAll(type.Params, offset);
        PushAll(type.Results);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ValidateSelect(int offset)
    {
        PopExpected(ValType.I32, offset);
        ValType t1 = PopAny(offset);
        ValType t2 = PopAny(offset);
        // Untyped select only takes numeric or vector operands.
        if (!((IsNumeric(t1) && IsNumeric(t2)) || (IsVector(t1) && IsVector(t2))))
            ThrowInvalid($"{TypeMismatch}: select without a type needs numeric or vector operands", offset);
        if (t1 != t2 && t1 != Unknown && t2 != Unknown) ThrowMismatch(t2, t1, offset);
        Push(t1 == Unknown ? t2 : t1);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ValidateGlobalSet(uint index, int offset)
    {
        var global = Global(index, offset);
        if (!global.Mutable) ThrowInvalid("global is immutable", offset);
        PopExpected(global.Type, offset);
    }

    private void ValidateBrTable(in Operator op)
    {
        int offset = op.Offset;
        PopExpected(ValType.I32, offset);
        var defaultTypes = Label(op.Index, offset).LabelTypes;
        int arity = defaultTypes.Length;

        var targets = op.BrTableTargets;
        while (targets.TryRead(out uint label))
        {
            var types = Label(label, offset).LabelTypes;
            if (types.Length != arity)
                ThrowInvalid($"{TypeMismatch}: br_table targets carry {types.Length} and {arity} values", offset);
            // Same as the spec's push(pop(types)): compare in place.
            CheckTop(types, offset);
        }

        PopAll(defaultTypes, offset);
        SetUnreachable();
    }

    // ---- Stacks ----------------------------------------------------------------------------------------------------

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Push(ValType type)
    {
        if (_operandCount == _operands.Length) Array.Resize(ref _operands, _operands.Length * 2);
        _operands[_operandCount++] = type;
    }

    private void PushAll(ValType[] types)
    {
        for (int i = 0; i < types.Length; i++) Push(types[i]);
    }

    /// <summary>Pops one operand of type <paramref name="expected"/> (always a concrete type here).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void PopExpected(ValType expected, int offset)
    {
        int count = _operandCount;
        if (count == _floor)
        {
            if (_polymorphic) return;
            ThrowMismatch(expected, null, offset);
        }

        ValType actual = _operands[--count];
        _operandCount = count;
        if (actual != expected && actual != Unknown) ThrowMismatch(expected, actual, offset);
    }

    private ValType PopAny(int offset)
    {
        if (_operandCount == _floor)
        {
            if (_polymorphic) return Unknown;
            ThrowInvalid($"{TypeMismatch}: expected a value, found an empty stack", offset);
        }
        return _operands[--_operandCount];
    }

    private void PopAll(ValType[] types, int offset)
    {
        for (int i = types.Length - 1; i >= 0; i--) PopExpected(types[i], offset);
    }

    /// <summary>Checks that the top of the stack matches <paramref name="types"/> without popping.</summary>
    private void CheckTop(ValType[] types, int offset)
    {
        for (int k = 0; k < types.Length; k++)
        {
            ValType expected = types[types.Length - 1 - k];
            int index = _operandCount - 1 - k;
            if (index < _floor)
            {
                if (_polymorphic) return; // everything further down is polymorphic
                ThrowMismatch(expected, null, offset);
            }
            ValType actual = _operands[index];
            if (actual != expected && actual != Unknown) ThrowMismatch(expected, actual, offset);
        }
    }

    /// <summary>One more use of (valid) local <paramref name="index"/>, at the current loop nesting.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void CountUse(uint index)
    {
        if (index < (uint)_countedLocals) _useCounts[index] += _useWeight;
    }

    /// <summary>A loop was entered (+1) or left (-1): uses inside loops weigh more (x4 per level, at most 64).</summary>
    private void ChangeLoopDepth(int delta)
    {
        _loopDepth += delta;
        _useWeight = LocalUseRanking.Weight(_loopDepth);
    }

    /// <summary>The function's locals ranked by use, once its final end was validated (see <see cref="LocalUseRanking"/>).</summary>
    public uint[]? RankLocalUses() =>
        _countedLocals == (int)_locals.Count ? LocalUseRanking.Rank(_useCounts.AsSpan(0, _countedLocals), _locals) : null;

    private void PushFrame(ControlKind kind, ValType[] parameters, ValType[] results, int offset)
    {
        if (kind == ControlKind.Loop) ChangeLoopDepth(1);
        if (_frameCount == _frames.Length) Array.Resize(ref _frames, _frames.Length * 2);
        _frames[_frameCount++] = new ControlFrame
        {
            Kind = kind,
            Unreachable = false,
            Height = _operandCount,
            Offset = offset,
            Params = parameters,
            Results = results,
        };
        _floor = _operandCount;
        _polymorphic = false;
        PushAll(parameters);
    }

    private ControlFrame PopFrame(int offset)
    {
        ref ControlFrame frame = ref _frames[_frameCount - 1];
        PopAll(frame.Results, offset);
        if (_operandCount != frame.Height)
            ThrowInvalid($"{TypeMismatch}: {_operandCount - frame.Height} values remain at the end of the block", offset);
        if (frame.Kind == ControlKind.Loop) ChangeLoopDepth(-1);
        _frameCount--;
        if (_frameCount > 0)
        {
            ref ControlFrame outer = ref _frames[_frameCount - 1];
            _floor = outer.Height;
            _polymorphic = outer.Unreachable;
        }
        else
        {
            _floor = 0;
            _polymorphic = false;
        }
        return frame;
    }

    private void SetUnreachable()
    {
        ref ControlFrame frame = ref _frames[_frameCount - 1];
        _operandCount = frame.Height;
        frame.Unreachable = true;
        _polymorphic = true;
    }

    private static bool IsNumeric(ValType t) => t is ValType.I32 or ValType.I64 or ValType.F32 or ValType.F64 or Unknown;

    private static bool IsVector(ValType t) => t is ValType.V128 or Unknown;

    // ---- Module context ------------------------------------------------------------------------------------------

    private ref ControlFrame Label(uint depth, int offset)
    {
        if (depth >= (uint)_frameCount) ThrowInvalid($"unknown label {depth}", offset);
        return ref _frames[_frameCount - 1 - (int)depth];
    }

    private void ResolveBlockType(BlockType blockType, int offset, out ValType[] parameters, out ValType[] results)
    {
        switch (blockType.Kind)
        {
            case BlockTypeKind.Value:
                parameters = NoTypes;
                results = SingleTypes[(byte)blockType.ValueType];
                break;
            case BlockTypeKind.TypeIndex:
            {
                var type = TypeAt(blockType.TypeIndex, offset);
                parameters = type.Params;
                results = type.Results;
                break;
            }
            default:
                parameters = NoTypes;
                results = NoTypes;
                break;
        }
    }

    private FuncType TypeAt(uint index, int offset)
    {
        if (index >= (uint)_module.Types.Count) ThrowInvalid($"unknown type {index}", offset);
        return _module.Types[(int)index];
    }

    private FuncType FunctionTypeOf(ModuleInfo module, uint functionIndex, int offset)
    {
        if (functionIndex >= (uint)module.FunctionTypeIndices.Count) ThrowInvalid($"unknown function {functionIndex}", offset);
        uint typeIndex = module.FunctionTypeIndices[(int)functionIndex];
        if (typeIndex >= (uint)module.Types.Count) ThrowInvalid($"unknown type {typeIndex}", offset);
        return module.Types[(int)typeIndex];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ValType LocalType(uint index, int offset)
    {
        if (!_locals.TryGetType(index, out var type)) ThrowInvalid($"unknown local {index}", offset);
        return type;
    }

    private WasmGlobalType Global(uint index, int offset)
    {
        if (index >= (uint)_module.Globals.Count) ThrowInvalid($"unknown global {index}", offset);
        return _module.Globals[(int)index].Type;
    }

    private ValType TableElementType(uint index, int offset)
    {
        if (index >= (uint)_module.Tables.Count) ThrowInvalid($"unknown table {index}", offset);
        return _module.Tables[(int)index].ElementType;
    }

    private void CheckMemory(uint index, int offset)
    {
        if (index >= (uint)_module.Memories.Count) ThrowInvalid($"unknown memory {index}", offset);
    }

    private void CheckDataSegment(uint index, int offset)
    {
        // Bodies see the data count section's value (the reader already required the section).
        uint count = _module.DataCount ?? (uint)_module.Data.Count;
        if (index >= count) ThrowInvalid($"unknown data segment {index}", offset);
    }

    private void CheckElementSegment(uint index, int offset)
    {
        if (index >= (uint)_module.Elements.Count) ThrowInvalid($"unknown elem segment {index}", offset);
    }

    // ---- Errors ----------------------------------------------------------------------------------------------------

    [DoesNotReturn]
    private void ThrowInvalid(string reason, int offset) => throw new InvalidModuleException(reason, offset, _functionIndex);

    [DoesNotReturn]
    private void ThrowMismatch(ValType expected, ValType? actual, int offset) =>
        ThrowInvalid(actual is ValType a
            ? $"{TypeMismatch}: expected {Describe(expected)}, found {Describe(a)}"
            : $"{TypeMismatch}: expected {Describe(expected)}, found an empty stack", offset);

    private static string Describe(ValType t) => t == Unknown ? "any" : t.Name();

    private static ValType[][] CreateSingleTypes()
    {
        var table = new ValType[256][];
        for (int b = 0; b < 256; b++)
            table[b] = ValTypes.IsDefined((byte)b) ? [(ValType)b] : NoTypes;
        return table;
    }
}
