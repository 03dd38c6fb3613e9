using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Sharptime.Format;

/// <summary>
/// Decodes operators one at a time from a function body or constant expression, without allocating.
/// Every read is bounds-checked; malformed input raises <see cref="MalformedModuleException"/> with the
/// absolute module offset. The validator and the baseline compiler both drive this reader.
/// </summary>
internal ref struct OperatorReader
{
    private const string UnexpectedEnd = "unexpected end of section or function";

    private readonly ReadOnlySpan<byte> _bytes;
    private readonly int _baseOffset;
    private readonly bool _hasDataCount;
    // Whether the code is the last thing in the module: then a missing end is reported as running off the module.
    private readonly bool _endsModule;
    private int _position;

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
        _bytes = bytes;
        _baseOffset = baseOffset;
        _hasDataCount = hasDataCountSection;
        _endsModule = endsModule;
    }

    /// <summary>A reader over the body of defined function <paramref name="definedIndex"/>, positioned at its local declarations.</summary>
    public static OperatorReader ForFunctionBody(ModuleInfo module, int definedIndex)
    {
        var body = module.FunctionBodies[definedIndex];
        return new OperatorReader(Slice(module, body.Offset, body.Length), body.Offset, module.DataCount.HasValue,
            endsModule: body.Offset + body.Length == module.Bytes.Length);
    }

    /// <summary>A reader over a constant expression.</summary>
    public static OperatorReader ForConstExpr(ModuleInfo module, ConstExpr expr) =>
        new(Slice(module, expr.Offset, expr.Length), expr.Offset, module.DataCount.HasValue,
            endsModule: expr.Offset + expr.Length == module.Bytes.Length);

    /// <summary>Position relative to the start of the code.</summary>
    public readonly int Position => _position;

    /// <summary>Absolute module offset of the next byte.</summary>
    public readonly int Offset => _baseOffset + _position;

    public readonly bool IsAtEnd => _position >= _bytes.Length;

    /// <summary>
    /// Length in bytes of the constant expression starting at <paramref name="bytes"/>[0], through its first
    /// <c>end</c>. For the section decoder, which must find where an initializer ends before it is validated.
    /// Validity (which operators are constant) is checked later by the const-expr validator.
    /// </summary>
    public static int MeasureConstExpr(ReadOnlySpan<byte> bytes, int baseOffset, bool hasDataCountSection)
    {
        // Running out of bytes here means the section ended first.
        var reader = new OperatorReader(bytes, baseOffset, hasDataCountSection, endsModule: true);
        while (true)
        {
            reader.Read(out var op);
            if (op.Opcode == Opcode.End) return reader._position;
        }
    }

    /// <summary>
    /// Decodes the local declarations at the start of a function body into <paramref name="locals"/>
    /// (which must already hold the parameters). Leaves the reader at the first operator.
    /// </summary>
    public void ReadLocalDeclarations(LocalTypes locals)
    {
        uint groups = ReadVarU32();
        ulong declared = 0;
        for (uint i = 0; i < groups; i++)
        {
            uint count = ReadVarU32();
            ValType type = ReadValueType();
            declared += count;
            locals.Add(count, type);
        }

        // The spec bounds the declared locals (parameters excluded) by 2^32 - 1.
        if (declared > uint.MaxValue) throw new MalformedModuleException("too many locals", Offset);
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
        int start = _position;
        if (start >= _bytes.Length) ThrowMissingEnd();
        op.Offset = _baseOffset + start;

        OperatorInfo? info;
        byte code = ReadByte();
        if (code is 0xFC or 0xFD)
        {
            uint sub = ReadVarU32();
            info = OperatorTable.GetPrefixed(code, sub);
            if (info is null) ThrowIllegalPrefixed(code, sub, _baseOffset + start);
        }
        else
        {
            info = OperatorTable.GetSingleByte(code);
            if (info is null) ThrowIllegal(code, _baseOffset + start);
        }

        op.Info = info;
        op.Opcode = info.Opcode;

        switch (info.Immediate)
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
                op.Index = ReadVarU32();
                break;
            case ImmediateKind.DataIndex:
                RequireDataCount(op.Offset);
                op.Index = ReadVarU32();
                break;
            case ImmediateKind.BrTable:
            {
                uint count = ReadVarU32();
                int dataStart = _position;
                SkipLabels(count);
                op.BrTableData = _bytes.Slice(dataStart, _position - dataStart);
                op.BrTableCount = count;
                op.BrTableDataOffset = _baseOffset + dataStart;
                op.Index = ReadVarU32();
                break;
            }
            case ImmediateKind.CallIndirect:
            case ImmediateKind.TableInit:
            case ImmediateKind.TableCopy:
                op.Index = ReadVarU32();
                op.Index2 = ReadVarU32();
                break;
            case ImmediateKind.MemArg:
                op.AlignLog2 = ReadAlignment();
                op.Bits = ReadVarU32();
                break;
            case ImmediateKind.MemArgLane:
                op.AlignLog2 = ReadAlignment();
                op.Bits = ReadVarU32();
                op.Lane = ReadByte();
                break;
            case ImmediateKind.MemoryIndex:
                op.MemoryIndex = ReadZeroByte();
                break;
            case ImmediateKind.MemoryInit:
                RequireDataCount(op.Offset);
                op.Index = ReadVarU32();
                op.MemoryIndex = ReadZeroByte();
                break;
            case ImmediateKind.MemoryCopy:
                op.MemoryIndex = ReadZeroByte();
                op.Index2 = ReadZeroByte();
                break;
            case ImmediateKind.I32:
                op.Bits = (ulong)(long)ReadVarS32();
                break;
            case ImmediateKind.I64:
                op.Bits = (ulong)ReadVarS64();
                break;
            case ImmediateKind.F32:
                op.Bits = BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4));
                break;
            case ImmediateKind.F64:
                op.Bits = BinaryPrimitives.ReadUInt64LittleEndian(ReadBytes(8));
                break;
            case ImmediateKind.V128:
            case ImmediateKind.Shuffle:
                op.V128 = Vector128.Create(ReadBytes(16));
                break;
            case ImmediateKind.LaneIndex:
                op.Lane = ReadByte();
                break;
            case ImmediateKind.HeapType:
                op.RefType = ReadHeapType();
                break;
            case ImmediateKind.SelectTypes:
                op.SelectTypeCount = ReadSelectTypes(out op.SelectType);
                break;
            default:
                throw new MalformedModuleException($"operator 0x{code:x2} has an immediate this reader does not know", op.Offset);
        }
    }

    private readonly void RequireDataCount(int offset)
    {
        if (!_hasDataCount) throw new MalformedModuleException("data count section required", offset);
    }

    private BlockType ReadBlockType()
    {
        if (_position >= _bytes.Length) ThrowUnexpectedEnd();
        byte b = _bytes[_position];
        if (b == 0x40)
        {
            _position++;
            return new BlockType(BlockTypeKind.Empty, default, 0);
        }

        // Single-byte negative s33 values are value types (or nothing valid).
        if ((b & 0xC0) == 0x40) return new BlockType(BlockTypeKind.Value, ReadValueType(), 0);

        int at = Offset;
        long index = ReadVarS33();
        if (index < 0) throw new MalformedModuleException("malformed block type", at);
        return new BlockType(BlockTypeKind.TypeIndex, default, (uint)index);
    }

    private void SkipLabels(uint count)
    {
        // Each label takes at least one byte, so this loop ends (or throws) within the body.
        for (uint i = 0; i < count; i++) ReadVarU32();
    }

    /// <summary>The memarg's flags field; the memory index is always 0 in 2.0.</summary>
    private byte ReadAlignment()
    {
        int at = Offset;
        uint flags = ReadVarU32();
        // 2.0 has one memory: bit 6 (explicit memory index) and alignments of 2^32 or more do not decode.
        if (flags >= 32) throw new MalformedModuleException("malformed memop flags", at);
        return (byte)flags;
    }

    private ValType ReadHeapType()
    {
        int at = Offset;
        byte b = ReadByte();
        if (b is (byte)ValType.FuncRef or (byte)ValType.ExternRef) return (ValType)b;
        throw new MalformedModuleException("malformed reference type", at);
    }

    /// <summary>Typed select's type vector: returns its length and the first type.</summary>
    private uint ReadSelectTypes(out ValType first)
    {
        uint count = ReadVarU32();
        first = default;
        // Every type takes one byte, so this loop ends (or throws) within the body.
        for (uint i = 0; i < count; i++)
        {
            ValType t = ReadValueType();
            if (i == 0) first = t;
        }
        return count;
    }

    private ValType ReadValueType()
    {
        int at = Offset;
        byte b = ReadByte();
        if (!ValTypes.IsDefined(b)) throw new MalformedModuleException("malformed value type", at);
        return (ValType)b;
    }

    /// <summary>The 2.0 memory index placeholder: exactly one 0x00 byte (a padded LEB zero is malformed too).</summary>
    private uint ReadZeroByte()
    {
        int at = Offset;
        if (ReadByte() != 0) throw new MalformedModuleException("zero byte expected", at);
        return 0;
    }

    // ---- Bytes and LEB128, with the spec decoder's exact bounds. -------------------------------------------
    // Kept private here until the shared WasmReader lands; the rules are the same ones it implements.

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private byte ReadByte()
    {
        int pos = _position;
        if ((uint)pos >= (uint)_bytes.Length) ThrowUnexpectedEnd();
        _position = pos + 1;
        return _bytes[pos];
    }

    private ReadOnlySpan<byte> ReadBytes(int count)
    {
        if (_bytes.Length - _position < count) ThrowUnexpectedEnd();
        var slice = _bytes.Slice(_position, count);
        _position += count;
        return slice;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint ReadVarU32()
    {
        int pos = _position;
        if ((uint)pos < (uint)_bytes.Length)
        {
            byte b = _bytes[pos];
            if (b < 0x80)
            {
                _position = pos + 1;
                return b;
            }
        }
        return (uint)ReadUnsigned(32);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int ReadVarS32()
    {
        int pos = _position;
        if ((uint)pos < (uint)_bytes.Length)
        {
            byte b = _bytes[pos];
            if (b < 0x80)
            {
                _position = pos + 1;
                return (sbyte)(byte)(b << 1) >> 1;
            }
        }
        return (int)ReadSigned(32);
    }

    private long ReadVarS33() => ReadSigned(33);

    private long ReadVarS64() => ReadSigned(64);

    /// <summary>Unsigned LEB128 of at most <paramref name="bits"/> bits: at most ceil(bits/7) bytes, unused high bits zero.</summary>
    private ulong ReadUnsigned(int bits)
    {
        ulong result = 0;
        int shift = 0;
        int remaining = bits;
        while (true)
        {
            if (remaining <= 0) throw new MalformedModuleException("integer representation too long", Offset);
            int at = Offset;
            byte b = ReadByte();
            if (remaining < 7 && (b & 0x7F) >= (1 << remaining)) throw new MalformedModuleException("integer too large", at);
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return result;
            shift += 7;
            remaining -= 7;
        }
    }

    /// <summary>Signed LEB128 of at most <paramref name="bits"/> bits: the unused bits of the last byte must copy the sign bit.</summary>
    private long ReadSigned(int bits)
    {
        long result = 0;
        int shift = 0;
        int remaining = bits;
        while (true)
        {
            if (remaining <= 0) throw new MalformedModuleException("integer representation too long", Offset);
            int at = Offset;
            byte b = ReadByte();
            if (remaining < 7)
            {
                int mask = (-1 << (remaining - 1)) & 0x7F;
                int high = b & mask;
                if (high != 0 && high != mask) throw new MalformedModuleException("integer too large", at);
            }
            result |= (long)(b & 0x7F) << shift;
            shift += 7;
            if ((b & 0x80) == 0)
            {
                if (shift < 64 && (b & 0x40) != 0) result |= -1L << shift;
                return result;
            }
            remaining -= 7;
        }
    }

    private static ReadOnlySpan<byte> Slice(ModuleInfo module, int offset, int length)
    {
        var all = module.Bytes.Span;
        if (offset < 0 || length < 0 || offset > all.Length || length > all.Length - offset)
            throw new MalformedModuleException(UnexpectedEnd, Math.Max(0, offset));
        return all.Slice(offset, length);
    }

    [DoesNotReturn]
    private readonly void ThrowMissingEnd() =>
        throw new MalformedModuleException(_endsModule ? UnexpectedEnd : "END opcode expected", Offset);

    [DoesNotReturn]
    private readonly void ThrowUnexpectedEnd() => throw new MalformedModuleException(UnexpectedEnd, Offset);

    [DoesNotReturn]
    private static void ThrowIllegal(byte code, int offset) =>
        throw new MalformedModuleException($"illegal opcode 0x{code:x2}", offset);

    [DoesNotReturn]
    private static void ThrowIllegalPrefixed(byte prefix, uint code, int offset) =>
        throw new MalformedModuleException($"illegal opcode 0x{prefix:x2} {code}", offset);
}
