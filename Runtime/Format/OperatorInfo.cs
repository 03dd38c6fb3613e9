namespace Sharptime.Format;

/// <summary>What follows an operator's opcode in the binary format.</summary>
internal enum ImmediateKind : byte
{
    None,
    /// <summary>Block type: 0x40, a value type, or an s33 type index.</summary>
    BlockType,
    LabelIndex,
    /// <summary>Vector of label indices, then the default label.</summary>
    BrTable,
    FunctionIndex,
    /// <summary>Type index, then table index.</summary>
    CallIndirect,
    LocalIndex,
    GlobalIndex,
    TableIndex,
    /// <summary>Alignment exponent, then offset.</summary>
    MemArg,
    /// <summary>A memory index; in 2.0 a single zero byte.</summary>
    MemoryIndex,
    I32,
    I64,
    F32,
    F64,
    V128,
    /// <summary>ref.null's heap type: 0x70 (func) or 0x6F (extern).</summary>
    HeapType,
    /// <summary>Vector of value types (typed select).</summary>
    SelectTypes,
    /// <summary>Data index, then memory index.</summary>
    MemoryInit,
    DataIndex,
    /// <summary>Destination memory index, then source memory index.</summary>
    MemoryCopy,
    /// <summary>Element index, then table index.</summary>
    TableInit,
    ElemIndex,
    /// <summary>Destination table index, then source table index.</summary>
    TableCopy,
    /// <summary>One lane index byte.</summary>
    LaneIndex,
    /// <summary>Memarg, then one lane index byte.</summary>
    MemArgLane,
    /// <summary>Sixteen lane index bytes.</summary>
    Shuffle,
}

/// <summary>Static facts about one operator: encoding, text name, immediates, and (when fixed) its type.</summary>
internal sealed class OperatorInfo
{
    public OperatorInfo(Opcode opcode, string name, ImmediateKind immediate, string? signature, int naturalAlignmentLog2, int laneCount)
    {
        Opcode = opcode;
        Name = name;
        Immediate = immediate;
        NaturalAlignmentLog2 = (byte)naturalAlignmentLog2;
        LaneCount = (byte)laneCount;
        int code = (int)opcode;
        Prefix = code > 0xFF ? (byte)(code >> 16) : (byte)0;
        Code = Prefix == 0 ? (uint)code : (uint)(code & 0xFFFF);
        if (signature is not null)
        {
            int arrow = signature.IndexOf('>');
            Params = ParseTypes(signature.AsSpan(0, arrow));
            Results = ParseTypes(signature.AsSpan(arrow + 1));
        }
    }

    public Opcode Opcode { get; }

    /// <summary>Text-format mnemonic, e.g. <c>i32.add</c>.</summary>
    public string Name { get; }

    public ImmediateKind Immediate { get; }

    /// <summary>0 for single-byte operators, else 0xFC or 0xFD.</summary>
    public byte Prefix { get; }

    /// <summary>The opcode byte, or the LEB128 u32 sub-opcode after the prefix.</summary>
    public uint Code { get; }

    /// <summary>Operand types popped, in stack order (last is on top); null when the validator types this operator specially.</summary>
    public ValType[]? Params { get; }

    /// <summary>Result types pushed; null when the validator types this operator specially.</summary>
    public ValType[]? Results { get; }

    /// <summary>log2 of the access width, the largest alignment a memarg may declare.</summary>
    public byte NaturalAlignmentLog2 { get; }

    /// <summary>Number of lanes a lane index may address (shuffle: 32).</summary>
    public byte LaneCount { get; }

    private static ValType[] ParseTypes(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty) return [];
        var types = new ValType[s.Length];
        for (int i = 0; i < s.Length; i++)
        {
            types[i] = s[i] switch
            {
                'i' => ValType.I32,
                'l' => ValType.I64,
                'f' => ValType.F32,
                'd' => ValType.F64,
                'v' => ValType.V128,
                _ => throw new InvalidOperationException($"bad signature letter '{s[i]}'"),
            };
        }
        return types;
    }
}
