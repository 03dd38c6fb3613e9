using System.Runtime.Intrinsics;

namespace Sharptime.Format;

internal enum BlockTypeKind : byte
{
    /// <summary><c>0x40</c>: no parameters, no results.</summary>
    Empty,
    /// <summary>A single value type: no parameters, one result.</summary>
    Value,
    /// <summary>A type index: parameters and results of that function type.</summary>
    TypeIndex,
}

/// <summary>The block type immediate of <c>block</c>, <c>loop</c> and <c>if</c>.</summary>
internal readonly struct BlockType
{
    public BlockType(BlockTypeKind kind, ValType valueType, uint typeIndex)
    {
        Kind = kind;
        ValueType = valueType;
        TypeIndex = typeIndex;
    }

    public BlockTypeKind Kind { get; }

    /// <summary>The result type, when <see cref="Kind"/> is <see cref="BlockTypeKind.Value"/>.</summary>
    public ValType ValueType { get; }

    /// <summary>The function type index, when <see cref="Kind"/> is <see cref="BlockTypeKind.TypeIndex"/>.</summary>
    public uint TypeIndex { get; }
}

/// <summary>
/// One decoded operator: its opcode, where it starts, and its immediates. Which fields are meaningful
/// depends on <see cref="Info"/>.<see cref="OperatorInfo.Immediate"/>:
/// <list type="bullet">
/// <item>BlockType: <see cref="BlockType"/>.</item>
/// <item>LabelIndex: <see cref="Index"/>.</item>
/// <item>BrTable: <see cref="Index"/> is the default label; <see cref="BrTableTargets"/> iterates the others.</item>
/// <item>FunctionIndex, LocalIndex, GlobalIndex, TableIndex, DataIndex, ElemIndex: <see cref="Index"/>.</item>
/// <item>CallIndirect: <see cref="Index"/> type index, <see cref="Index2"/> table index.</item>
/// <item>MemArg: <see cref="AlignLog2"/>, <see cref="MemoryOffset"/>, <see cref="MemoryIndex"/> (always 0 in 2.0).</item>
/// <item>MemArgLane: the memarg fields and <see cref="Lane"/>. LaneIndex: <see cref="Lane"/>.</item>
/// <item>MemoryIndex: <see cref="MemoryIndex"/>. MemoryCopy: <see cref="MemoryIndex"/> destination, <see cref="Index2"/> source.</item>
/// <item>MemoryInit: <see cref="Index"/> data index, <see cref="MemoryIndex"/>.</item>
/// <item>TableInit: <see cref="Index"/> element index, <see cref="Index2"/> table index.</item>
/// <item>TableCopy: <see cref="Index"/> destination table, <see cref="Index2"/> source table.</item>
/// <item>I32/I64/F32/F64: <see cref="I32"/>, <see cref="I64"/>, <see cref="F32Bits"/>, <see cref="F64Bits"/>.</item>
/// <item>V128 and Shuffle: <see cref="V128"/> (the sixteen immediate bytes, in order).</item>
/// <item>HeapType: <see cref="RefType"/>. SelectTypes: <see cref="SelectTypeCount"/> and <see cref="SelectType"/> (the first).</item>
/// </list>
/// A ref struct so that the br_table window can point into the body without copying.
/// </summary>
internal ref struct Operator
{
    public Opcode Opcode;

    public OperatorInfo Info;

    /// <summary>Absolute offset in the module of the operator's first byte.</summary>
    public int Offset;

    public uint Index;
    public uint Index2;
    public uint MemoryIndex;

    /// <summary>Constant bits (i32 sign-extended to 64 bits) or the memarg offset.</summary>
    public ulong Bits;

    public byte AlignLog2;
    public byte Lane;

    public BlockType BlockType;

    public Vector128<byte> V128;

    /// <summary>Typed select: the number of declared types (valid only when 1), and the first one.</summary>
    public uint SelectTypeCount;
    public ValType SelectType;

    /// <summary>ref.null: the reference type named by the heap type.</summary>
    public ValType RefType;

    /// <summary>br_table: the encoded label vector (without its count and without the default label).</summary>
    public ReadOnlySpan<byte> BrTableData;
    public uint BrTableCount;
    /// <summary>br_table: absolute module offset of <see cref="BrTableData"/>.</summary>
    public int BrTableDataOffset;

    public readonly int I32 => (int)Bits;
    public readonly long I64 => (long)Bits;
    public readonly uint F32Bits => (uint)Bits;
    public readonly ulong F64Bits => Bits;
    public readonly ulong MemoryOffset => Bits;

    /// <summary>br_table: the non-default targets, in order.</summary>
    public readonly BrTableReader BrTableTargets => new(BrTableData, BrTableCount, BrTableDataOffset);
}

/// <summary>Iterates the label indices of a <c>br_table</c> without allocating.</summary>
internal ref struct BrTableReader
{
    private readonly ReadOnlySpan<byte> _bytes;
    private readonly int _baseOffset;
    private int _position;
    private uint _remaining;

    public BrTableReader(ReadOnlySpan<byte> bytes, uint count, int baseOffset)
    {
        _bytes = bytes;
        _remaining = count;
        _baseOffset = baseOffset;
    }

    /// <summary>Labels not yet read.</summary>
    public readonly uint Remaining => _remaining;

    /// <summary>Reads the next label; false when all have been read.</summary>
    public bool TryRead(out uint label)
    {
        if (_remaining == 0)
        {
            label = 0;
            return false;
        }

        // The operator reader already decoded these bytes with full checks; this only re-walks them,
        // but stays bounds-checked so a hand-made window cannot fault.
        uint result = 0;
        for (int shift = 0; ; shift += 7)
        {
            if ((uint)_position >= (uint)_bytes.Length || shift > 28)
                throw new MalformedModuleException("unexpected end of section or function", _baseOffset + _position);
            byte b = _bytes[_position++];
            result |= (uint)(b & 0x7F) << shift;
            if (b < 0x80) break;
        }

        _remaining--;
        label = result;
        return true;
    }
}
