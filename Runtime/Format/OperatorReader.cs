using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Sharptime.Format;

/// <summary>
/// Decodes operators one at a time from a function body or constant expression, without allocating.
/// Every read is bounds-checked; malformed input raises <see cref="MalformedModuleException"/> with the
/// absolute module offset. The validator and the baseline compiler both drive this reader.
/// </summary>
/// <remarks>
/// Bytes and LEB128 integers are read by a bounded <see cref="WasmReader"/> (the same rules the section decoder uses),
/// so running out of bytes inside an operator is "unexpected end of section or function".
/// </remarks>
internal ref struct OperatorReader
{
    private const string UnexpectedEnd = "unexpected end of section or function";

    // Bounded: running out of bytes inside an operator is "unexpected end of section or function".
    private WasmReader _reader;
    private readonly bool _hasDataCount;
    // Whether the code is the last thing in the module: then a missing end is reported as running off the module.
    private readonly bool _endsModule;

    /// <param name="bytes">The code to decode.</param>
    /// <param name="baseOffset">Module offset of <paramref name="bytes"/>[0], for error locations.</param>
    /// <param name="hasDataCountSection">
    /// Whether the module has a data count section; <c>memory.init</c> and <c>data.drop</c> are malformed without one.
    /// </param>
    public OperatorReader(ReadOnlySpan<byte> bytes, int baseOffset, bool hasDataCountSection)
        : this(bytes, baseOffset, hasDataCountSection, endsModule: false)
    {
    }

    private OperatorReader(ReadOnlySpan<byte> bytes, int baseOffset, bool hasDataCountSection, bool endsModule)
    {
        _reader = new WasmReader(bytes, baseOffset, bounded: true);
        _hasDataCount = hasDataCountSection;
        _endsModule = endsModule;
    }

    /// <summary>A reader over the body of defined function <paramref name="definedIndex"/>, positioned at its local declarations.</summary>
    public static OperatorReader ForFunctionBody(ModuleInfo module, int definedIndex)
    {
        var body = module.FunctionBodies[definedIndex];
        return ForModuleBytes(module, body.Offset, body.Length);
    }

    /// <summary>A reader over a constant expression.</summary>
    public static OperatorReader ForConstExpr(ModuleInfo module, ConstExpr expr) => ForModuleBytes(module, expr.Offset, expr.Length);

    /// <summary>A reader over <paramref name="length"/> bytes of the module at <paramref name="offset"/>.</summary>
    private static OperatorReader ForModuleBytes(ModuleInfo module, int offset, int length)
    {
        var all = module.Bytes.Span;
        if (offset < 0 || length < 0 || offset > all.Length || length > all.Length - offset)
            throw new MalformedModuleException(UnexpectedEnd, Math.Max(0, offset));
        return new OperatorReader(all.Slice(offset, length), offset, module.DataCount.HasValue,
            endsModule: offset + length == all.Length);
    }

    /// <summary>Position relative to the start of the code. Setting it lets a fused decoder hand an operator back to <see cref="Read"/>.</summary>
    public int Position
    {
        readonly get => _reader.Position;
        set => _reader.Position = value;
    }

    /// <summary>The whole code being decoded (<see cref="Position"/> indexes it).</summary>
    public readonly ReadOnlySpan<byte> Code => _reader.Data;

    /// <summary>Absolute module offset of <see cref="Code"/>[0].</summary>
    public readonly int BaseOffset => _reader.BaseOffset;

    /// <summary>Absolute module offset of the next byte.</summary>
    public readonly int Offset => _reader.Offset;

    public readonly bool IsAtEnd => _reader.IsAtEnd;

    /// <summary>
    /// Length in bytes of the constant expression starting at <paramref name="bytes"/>[0], through the <c>end</c>
    /// that closes it (a nested <c>block</c>, <c>loop</c> or <c>if</c> is taken whole, as the spec decoder parses it).
    /// For the section decoder, which must find where an initializer ends before it is validated.
    /// Validity (which operators are constant) is checked later by the const-expr validator.
    /// </summary>
    public static int MeasureConstExpr(ReadOnlySpan<byte> bytes, int baseOffset, bool hasDataCountSection)
    {
        // Running out of bytes here means the section ended first.
        var reader = new OperatorReader(bytes, baseOffset, hasDataCountSection, endsModule: true);
        int depth = 0;
        while (true)
        {
            reader.Read(out var op);
            switch (op.Opcode)
            {
                case Opcode.Block or Opcode.Loop or Opcode.If:
                    depth++;
                    break;
                case Opcode.End:
                    if (depth == 0) return reader.Position;
                    depth--;
                    break;
            }
        }
    }

    /// <summary>
    /// Decodes the local declarations at the start of a function body into <paramref name="locals"/>
    /// (which must already hold the parameters). Leaves the reader at the first operator.
    /// </summary>
    public void ReadLocalDeclarations(LocalTypes locals) => ReadLocalDeclarations(ref _reader, locals, out _);

    /// <summary>
    /// Decodes the local declarations at <paramref name="reader"/>'s position (a vector of count and type groups),
    /// appending them to <paramref name="locals"/> when given. Returns the number of groups; <paramref name="localCount"/>
    /// is the number of declared locals (parameters excluded). Shared by the section decoder and <see cref="ReadLocalDeclarations(LocalTypes)"/>.
    /// </summary>
    public static int ReadLocalDeclarations(ref WasmReader reader, LocalTypes? locals, out uint localCount)
    {
        int groups = reader.ReadLength();
        ulong total = 0;
        for (int i = 0; i < groups; i++)
        {
            int at = reader.Offset;
            uint count = reader.ReadVarU32();
            total += count;
            // The spec bounds the declared locals (parameters excluded) by 2^32 - 1.
            if (total > uint.MaxValue) WasmReader.ThrowMalformed("too many locals", at);
            ValType type = reader.ReadValType();
            locals?.Add(count, type);
        }
        localCount = (uint)total;
        return groups;
    }

    /// <summary>Throws unless every byte has been consumed (used after the function's final <c>end</c>).</summary>
    public readonly void EnsureAtEnd()
    {
        if (!IsAtEnd) throw new MalformedModuleException("section size mismatch: bytes after the final end", Offset);
    }

    /// <summary>
    /// Decodes the next operator and its immediates. Called with no bytes left, it reports the missing final
    /// <c>end</c> (so drivers need no separate end-of-code check).
    /// </summary>
    public void Read(out Operator op)
    {
        op = default;
        if (_reader.IsAtEnd) ThrowMissingEnd();
        int start = _reader.Offset;
        op.Offset = start;

        OperatorInfo? info;
        byte code = _reader.ReadByte();
        if (code is 0xFC or 0xFD)
        {
            uint sub = _reader.ReadVarU32();
            info = OperatorTable.GetPrefixed(code, sub);
            if (info is null) ThrowIllegalPrefixed(code, sub, start);
        }
        else
        {
            info = OperatorTable.GetSingleByte(code);
            if (info is null) ThrowIllegal(code, start);
        }

        op.Info = info;
        op.Opcode = info.Opcode;

        // Most operators (arithmetic, comparisons, conversions) have no immediates: a plain branch is cheaper than the switch's jump.
        ImmediateKind kind = info.Immediate;
        if (kind == ImmediateKind.None) return;

        switch (kind)
        {
            case ImmediateKind.None:
                break;
            case ImmediateKind.BlockType:
                op.BlockType = ReadBlockType();
                break;
            case ImmediateKind.LabelIndex:
            case ImmediateKind.FunctionIndex:
            case ImmediateKind.LocalIndex:
            case ImmediateKind.GlobalIndex:
            case ImmediateKind.TableIndex:
            case ImmediateKind.ElemIndex:
                op.Index = _reader.ReadVarU32();
                break;
            case ImmediateKind.DataIndex:
                RequireDataCount(op.Offset);
                op.Index = _reader.ReadVarU32();
                break;
            case ImmediateKind.BrTable:
            {
                uint count = _reader.ReadVarU32();
                var labels = _reader.RemainingSpan;
                int dataStart = _reader.Position;
                op.BrTableDataOffset = _reader.Offset;
                SkipLabels(count);
                op.BrTableData = labels.Slice(0, _reader.Position - dataStart);
                op.BrTableCount = count;
                op.Index = _reader.ReadVarU32();
                break;
            }
            case ImmediateKind.CallIndirect:
            case ImmediateKind.TableInit:
            case ImmediateKind.TableCopy:
                op.Index = _reader.ReadVarU32();
                op.Index2 = _reader.ReadVarU32();
                break;
            case ImmediateKind.MemArg:
                op.AlignLog2 = ReadAlignment();
                op.Bits = _reader.ReadVarU32();
                break;
            case ImmediateKind.MemArgLane:
                op.AlignLog2 = ReadAlignment();
                op.Bits = _reader.ReadVarU32();
                op.Lane = _reader.ReadByte();
                break;
            case ImmediateKind.MemoryIndex:
                op.MemoryIndex = ReadZeroByte();
                break;
            case ImmediateKind.MemoryInit:
                RequireDataCount(op.Offset);
                op.Index = _reader.ReadVarU32();
                op.MemoryIndex = ReadZeroByte();
                break;
            case ImmediateKind.MemoryCopy:
                op.MemoryIndex = ReadZeroByte();
                op.Index2 = ReadZeroByte();
                break;
            case ImmediateKind.I32:
                op.Bits = (ulong)(long)_reader.ReadVarS32();
                break;
            case ImmediateKind.I64:
                op.Bits = (ulong)_reader.ReadVarS64();
                break;
            case ImmediateKind.F32:
                op.Bits = _reader.ReadF32Bits();
                break;
            case ImmediateKind.F64:
                op.Bits = _reader.ReadF64Bits();
                break;
            case ImmediateKind.V128:
            case ImmediateKind.Shuffle:
                op.V128 = _reader.ReadV128();
                break;
            case ImmediateKind.LaneIndex:
                op.Lane = _reader.ReadByte();
                break;
            case ImmediateKind.HeapType:
                op.RefType = _reader.ReadRefType();
                break;
            case ImmediateKind.SelectTypes:
                op.SelectTypeCount = ReadSelectTypes(out op.SelectType);
                break;
            default:
                ThrowUnknownImmediate(code, op.Offset);
                break;
        }
    }

    private readonly void RequireDataCount(int offset)
    {
        if (!_hasDataCount) throw new MalformedModuleException("data count section required", offset);
    }

    private BlockType ReadBlockType()
    {
        byte b = _reader.PeekByte();
        if (b == 0x40)
        {
            _reader.ReadByte();
            return new BlockType(BlockTypeKind.Empty, default, 0);
        }

        // Single-byte negative s33 values are value types (or nothing valid).
        if ((b & 0xC0) == 0x40) return new BlockType(BlockTypeKind.Value, _reader.ReadValType(), 0);

        int at = Offset;
        long index = _reader.ReadVarS33();
        if (index < 0) throw new MalformedModuleException("malformed block type", at);
        return new BlockType(BlockTypeKind.TypeIndex, default, (uint)index);
    }

    private void SkipLabels(uint count)
    {
        // Each label takes at least one byte, so this loop ends (or throws) within the body.
        for (uint i = 0; i < count; i++) _reader.ReadVarU32();
    }

    /// <summary>The memarg's flags field; the memory index is always 0 in 2.0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private byte ReadAlignment()
    {
        int at = Offset;
        uint flags = _reader.ReadVarU32();
        // 2.0 has one memory: bit 6 (explicit memory index) and alignments of 2^32 or more do not decode.
        if (flags >= 32) throw new MalformedModuleException("malformed memop flags", at);
        return (byte)flags;
    }

    /// <summary>Typed select's type vector: returns its length and the first type.</summary>
    private uint ReadSelectTypes(out ValType first)
    {
        uint count = _reader.ReadVarU32();
        first = default;
        // Every type takes one byte, so this loop ends (or throws) within the body.
        for (uint i = 0; i < count; i++)
        {
            ValType t = _reader.ReadValType();
            if (i == 0) first = t;
        }
        return count;
    }

    /// <summary>The 2.0 memory index placeholder: exactly one 0x00 byte (a padded LEB zero is malformed too).</summary>
    private uint ReadZeroByte()
    {
        int at = Offset;
        if (_reader.ReadByte() != 0) throw new MalformedModuleException("zero byte expected", at);
        return 0;
    }

    [DoesNotReturn]
    private readonly void ThrowMissingEnd() =>
        throw new MalformedModuleException(_endsModule ? UnexpectedEnd : "END opcode expected", Offset);

    // Kept out of Read: an interpolated string there would give every call a larger frame to zero.
    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowUnknownImmediate(byte code, int offset) =>
        throw new MalformedModuleException($"operator 0x{code:x2} has an immediate this reader does not know", offset);

    [DoesNotReturn]
    private static void ThrowIllegal(byte code, int offset) =>
        throw new MalformedModuleException($"illegal opcode 0x{code:x2}", offset);

    [DoesNotReturn]
    private static void ThrowIllegalPrefixed(byte prefix, uint code, int offset) =>
        throw new MalformedModuleException($"illegal opcode 0x{prefix:x2} {code}", offset);
}
