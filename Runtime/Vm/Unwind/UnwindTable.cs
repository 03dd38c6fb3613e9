using System.Buffers.Binary;

namespace Sharptime.Vm.Unwind;

/// <summary>
/// The unwind rules of one loaded image, decoded once from its <c>.eh_frame</c> into a compact row table so the
/// backtrace collector can step from a frame to its caller with a binary search and two or three loads, without
/// allocating and without the system unwinder.
/// </summary>
/// <remarks>
/// Only what walking wasm frames needs is kept per row: the CFA rule (rsp or rbp plus an offset), where the return
/// address is, and where the caller's rbp is (or that rbp is unchanged). Other callee-saved registers are parsed and
/// ignored: the walk stops at the entry trampoline, which restores them itself. Parsing rejects anything it cannot
/// represent or that is inconsistent with a clear <see cref="InvalidDataException"/>, because images will be loaded from disk.
/// </remarks>
internal sealed class UnwindTable
{
    private const byte CfaRsp = 0, CfaRbp = 1;
    private const int MaxRememberDepth = 8;

    /// <summary>One row: from <see cref="Pc"/> (text offset) to the next row or the function end, these rules hold.</summary>
    private struct Row
    {
        public uint Pc;
        public byte CfaRegister;
        /// <summary>False when the return address is undefined (the outermost frame): stepping stops here.</summary>
        public bool HasCaller;
        public int CfaOffset;
        /// <summary>Caller's rbp at CFA + this (negative), or 0 when rbp still holds it.</summary>
        public int RbpOffset;
        /// <summary>Return address at CFA + this (negative).</summary>
        public int ReturnAddressOffset;
    }

    private readonly nuint _text;
    private readonly uint _textLength;
    private readonly uint[] _starts;
    private readonly uint[] _ends;
    private readonly int[] _firstRow; // per function, plus one sentinel
    private readonly Row[] _rows;

    private UnwindTable(nuint text, uint textLength, uint[] starts, uint[] ends, int[] firstRow, Row[] rows)
    {
        _text = text;
        _textLength = textLength;
        _starts = starts;
        _ends = ends;
        _firstRow = firstRow;
        _rows = rows;
    }

    /// <summary>Number of functions (FDEs) in the table, sorted by start address.</summary>
    public int FunctionCount => _starts.Length;

    /// <summary>Address of the first byte of function <paramref name="index"/>.</summary>
    public nuint FunctionStart(int index) => _text + _starts[index];

    /// <summary>Length in bytes of function <paramref name="index"/>.</summary>
    public int FunctionLength(int index) => (int)(_ends[index] - _starts[index]);

    /// <summary>The function containing the instruction at <paramref name="pc"/>; false when no FDE covers it.</summary>
    public bool TryFindFunction(nuint pc, out int index)
    {
        index = -1;
        if (pc < _text || pc - _text >= _textLength) return false;
        uint offset = (uint)(pc - _text);
        int lo = 0, hi = _starts.Length - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_starts[mid] <= offset) lo = mid + 1;
            else hi = mid - 1;
        }
        if (hi < 0 || offset >= _ends[hi]) return false;
        index = hi;
        return true;
    }

    /// <summary>
    /// The rule in force at the instruction at <paramref name="pc"/>: CFA = <paramref name="cfaRegister"/> +
    /// <paramref name="cfaOffset"/>; the caller's rbp at CFA + <paramref name="rbpOffset"/> (0: rbp unchanged).
    /// </summary>
    public bool TryGetRule(nuint pc, out UnwindRegister cfaRegister, out int cfaOffset, out int rbpOffset)
    {
        if (!TryFindFunction(pc, out int function))
        {
            (cfaRegister, cfaOffset, rbpOffset) = (default, 0, 0);
            return false;
        }
        ref readonly var row = ref RowAt(function, (uint)(pc - _text));
        cfaRegister = row.CfaRegister == CfaRbp ? UnwindRegister.Rbp : UnwindRegister.Rsp;
        (cfaOffset, rbpOffset) = (row.CfaOffset, row.RbpOffset);
        return true;
    }

    private ref readonly Row RowAt(int function, uint offset)
    {
        int i = _firstRow[function + 1] - 1;
        while (_rows[i].Pc > offset) i--; // the first row of a function starts at its start, so this stops
        return ref _rows[i];
    }

    /// <summary>
    /// Steps from a frame to its caller: given the frame's <paramref name="pc"/>, <paramref name="sp"/> and
    /// <paramref name="fp"/> (rbp), replaces them with the caller's. <paramref name="pc"/> is a return address (or a
    /// trap pc recorded from one) unless <paramref name="pcIsExact"/>: a return address may be the first byte after
    /// its function, so it is looked up one byte earlier. False, with nothing changed, when no FDE covers the pc, the
    /// frame is outermost, or the computed caller frame is not above this one (a corrupt stack).
    /// </summary>
    /// <remarks>The caller guarantees that <paramref name="sp"/> and <paramref name="fp"/> belong to a live, suspended stack of this process.</remarks>
    public unsafe bool TryStep(ref nuint pc, ref nuint sp, ref nuint fp, bool pcIsExact = false)
    {
        if (!TryFindFunction(pcIsExact ? pc : pc - 1, out int function)) return false;
        ref readonly var row = ref RowAt(function, (uint)((pcIsExact ? pc : pc - 1) - _text));
        if (!row.HasCaller) return false;
        nuint cfa = (row.CfaRegister == CfaRbp ? fp : sp) + (nuint)(nint)row.CfaOffset;
        if (cfa <= sp || (cfa & 7) != 0) return false;
        // Invariant: cfa lies in the frame the caller vouched for, so the saved return address and rbp are readable.
        nuint callerPc = *(nuint*)(cfa + (nuint)(nint)row.ReturnAddressOffset);
        nuint callerFp = row.RbpOffset == 0 ? fp : *(nuint*)(cfa + (nuint)(nint)row.RbpOffset);
        pc = callerPc;
        sp = cfa;
        fp = callerFp;
        return true;
    }

    /// <summary>
    /// Decodes <paramref name="ehFrame"/>, mapped at <paramref name="ehFrameAddress"/>, for the text at
    /// <paramref name="textAddress"/> (<paramref name="textLength"/> bytes). Every FDE must lie inside the text.
    /// </summary>
    /// <exception cref="InvalidDataException">The section is malformed or uses rules this unwinder does not support.</exception>
    public static UnwindTable Parse(ReadOnlySpan<byte> ehFrame, nuint ehFrameAddress, nuint textAddress, int textLength)
    {
        var cies = new Dictionary<int, Cie>();
        var functions = new List<(uint start, uint end, Row[] rows)>();
        var rows = new List<Row>();
        int position = 0;
        while (position < ehFrame.Length)
        {
            int entryStart = position;
            if (ehFrame.Length - position < 4) throw Malformed(position, "truncated entry length");
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(ehFrame[position..]);
            if (length == 0) break; // terminator
            if (length == 0xFFFF_FFFF) throw Malformed(position, "64-bit DWARF entries are not supported");
            if (length > (uint)(ehFrame.Length - position - 4)) throw Malformed(position, $"entry length {length} runs past the end of the section");
            var body = new Reader(ehFrame, position + 4, position + 4 + (int)length);
            position += 4 + (int)length;
            int idPosition = body.Position;
            uint id = body.U32();
            if (id == 0)
            {
                cies[entryStart] = ParseCie(ref body);
                continue;
            }
            int ciePosition = idPosition - (int)id;
            if (id > (uint)idPosition || !cies.TryGetValue(ciePosition, out var cie))
                throw Malformed(idPosition, $"FDE refers to offset {ciePosition}, which is not a CIE before it");
            nuint pcBegin = ReadPointer(ref body, cie.PointerEncoding, ehFrameAddress);
            nuint pcRange = ReadPointer(ref body, (byte)(cie.PointerEncoding & 0x0F), ehFrameAddress);
            if (cie.HasAugmentationData) body.Skip((int)body.Uleb());
            if (pcBegin < textAddress || pcRange == 0 || pcBegin - textAddress > (nuint)textLength || pcRange > (nuint)textLength - (pcBegin - textAddress))
                throw Malformed(entryStart, $"FDE covers [0x{pcBegin:x}, +0x{pcRange:x}), outside the text [0x{textAddress:x}, +0x{textLength:x})");
            uint start = (uint)(pcBegin - textAddress);
            rows.Clear();
            Execute(ref body, cie, start, (uint)pcRange, rows, entryStart);
            functions.Add((start, start + (uint)pcRange, rows.ToArray()));
        }

        functions.Sort((a, b) => a.start.CompareTo(b.start));
        var starts = new uint[functions.Count];
        var ends = new uint[functions.Count];
        var firstRow = new int[functions.Count + 1];
        int total = 0;
        for (int i = 0; i < functions.Count; i++)
        {
            if (i > 0 && functions[i].start < ends[i - 1])
                throw Malformed(0, $"FDEs overlap at text offset 0x{functions[i].start:x}");
            starts[i] = functions[i].start;
            ends[i] = functions[i].end;
            firstRow[i] = total;
            total += functions[i].rows.Length;
        }
        firstRow[functions.Count] = total;
        var allRows = new Row[total];
        for (int i = 0; i < functions.Count; i++) functions[i].rows.CopyTo(allRows, firstRow[i]);
        return new UnwindTable(textAddress, (uint)textLength, starts, ends, firstRow, allRows);
    }

    private sealed class Cie
    {
        public uint CodeAlignment;
        public int DataAlignment;
        public uint ReturnAddressRegister;
        public byte PointerEncoding = Dwarf.PeAbsPtr;
        public bool HasAugmentationData;
        /// <summary>The initial instructions, copied out of the section being parsed.</summary>
        public byte[] Instructions = [];
    }

    private static Cie ParseCie(ref Reader r)
    {
        int at = r.Position;
        byte version = r.U8();
        if (version is not (1 or 3 or 4)) throw Malformed(at, $"CIE version {version} is not supported");
        int augmentationStart = r.Position;
        while (r.U8() != 0) { }
        var augmentation = r.Slice(augmentationStart, r.Position - 1);
        if (version == 4)
        {
            if (r.U8() != 8) throw Malformed(at, "CIE address size is not 8");
            r.U8(); // segment selector size
        }
        var cie = new Cie { CodeAlignment = r.Uleb(), DataAlignment = r.Sleb() };
        cie.ReturnAddressRegister = version == 1 ? r.U8() : r.Uleb();
        if (cie.CodeAlignment == 0 || cie.DataAlignment == 0) throw Malformed(at, "CIE has a zero alignment factor");
        if (cie.ReturnAddressRegister != (uint)UnwindRegister.ReturnAddress)
            throw Malformed(at, $"CIE return-address register is {cie.ReturnAddressRegister}, not 16 (rip)");
        if (augmentation.Length > 0)
        {
            if (augmentation[0] != (byte)'z') throw Malformed(at, $"CIE augmentation \"{System.Text.Encoding.ASCII.GetString(augmentation)}\" is not supported");
            cie.HasAugmentationData = true;
            uint dataLength = r.Uleb();
            if (dataLength > (uint)(r.End - r.Position)) throw Malformed(at, "CIE augmentation data runs past the entry");
            int dataEnd = r.Position + (int)dataLength;
            for (int i = 1; i < augmentation.Length; i++)
            {
                switch ((char)augmentation[i])
                {
                    case 'R': cie.PointerEncoding = r.U8(); break;
                    case 'L': r.U8(); break; // LSDA encoding: no language-specific data in our frames
                    case 'P': ReadPointer(ref r, r.U8(), 0); break; // personality routine: irrelevant to unwinding
                    case 'S': break; // signal frame
                    default: throw Malformed(at, $"CIE augmentation character '{(char)augmentation[i]}' is not supported");
                }
            }
            if (r.Position > dataEnd) throw Malformed(at, "CIE augmentation data is longer than declared");
            r.Position = dataEnd;
        }
        cie.Instructions = r.Slice(r.Position, r.End).ToArray();
        return cie;
    }

    private static nuint ReadPointer(ref Reader r, byte encoding, nuint sectionAddress)
    {
        int at = r.Position;
        long value = (encoding & 0x0F) switch
        {
            Dwarf.PeAbsPtr or Dwarf.PeUdata8 or Dwarf.PeSdata8 => (long)r.U64(),
            Dwarf.PeUdata4 => r.U32(),
            Dwarf.PeSdata4 => (int)r.U32(),
            Dwarf.PeUdata2 => r.U16(),
            Dwarf.PeSdata2 => (short)r.U16(),
            Dwarf.PeUleb128 => r.Uleb(),
            Dwarf.PeSleb128 => r.Sleb(),
            _ => throw Malformed(at, $"pointer encoding 0x{encoding:x2} is not supported"),
        };
        return (encoding & 0x70) switch
        {
            0 => (nuint)value,
            Dwarf.PePcRel => sectionAddress + (nuint)at + (nuint)value,
            _ => throw Malformed(at, $"pointer encoding 0x{encoding:x2} is not supported"),
        };
    }

    /// <summary>Rule state while interpreting one FDE.</summary>
    private struct State
    {
        public byte CfaRegister;
        public int CfaOffset;
        public int RbpOffset;
        public int ReturnAddressOffset;
        public bool HasCaller;
    }

    private static void Execute(ref Reader fde, Cie cie, uint start, uint range, List<Row> rows, int entry)
    {
        // The CIE's initial instructions give the state every FDE starts from, and what DW_CFA_restore returns to.
        var state = new State { CfaRegister = CfaRsp, CfaOffset = 8, HasCaller = false };
        var remembered = new State[MaxRememberDepth];
        int depth = 0;
        var initialReader = new Reader(cie.Instructions, 0, cie.Instructions.Length);
        uint location = 0;
        var none = state;
        Interpret(ref initialReader, cie, ref state, none, remembered, ref depth, ref location, range, null, start, entry);
        if (location != 0) throw Malformed(entry, "CIE initial instructions advance the location");
        var initial = state;
        rows.Add(ToRow(start, state));
        Interpret(ref fde, cie, ref state, initial, remembered, ref depth, ref location, range, rows, start, entry);
    }

    private static Row ToRow(uint pc, in State s) => new()
    {
        Pc = pc,
        CfaRegister = s.CfaRegister,
        CfaOffset = s.CfaOffset,
        RbpOffset = s.RbpOffset,
        ReturnAddressOffset = s.ReturnAddressOffset,
        HasCaller = s.HasCaller,
    };

    private static void Interpret(ref Reader r, Cie cie, ref State state, in State initial, State[] remembered, ref int depth,
        ref uint location, uint range, List<Row>? rows, uint start, int entry)
    {
        while (!r.AtEnd)
        {
            int at = r.Position;
            byte op = r.U8();
            uint operand = (uint)(op & 0x3F);
            switch (op & 0xC0)
            {
                case Dwarf.CfaAdvanceLoc:
                    Advance(ref location, operand * cie.CodeAlignment, range, at);
                    continue;
                case Dwarf.CfaOffset:
                    SetSaved(ref state, operand, checked((int)r.Uleb() * cie.DataAlignment), at);
                    break;
                case Dwarf.CfaRestore:
                    Restore(ref state, initial, operand);
                    break;
                default:
                    switch (op)
                    {
                        case Dwarf.CfaNop:
                            continue;
                        case Dwarf.CfaAdvanceLoc1:
                            Advance(ref location, r.U8() * cie.CodeAlignment, range, at);
                            continue;
                        case Dwarf.CfaAdvanceLoc2:
                            Advance(ref location, r.U16() * cie.CodeAlignment, range, at);
                            continue;
                        case Dwarf.CfaAdvanceLoc4:
                            Advance(ref location, (ulong)r.U32() * cie.CodeAlignment, range, at);
                            continue;
                        case Dwarf.CfaOffsetExtended:
                            {
                                uint reg = r.Uleb();
                                SetSaved(ref state, reg, checked((int)r.Uleb() * cie.DataAlignment), at);
                                break;
                            }
                        case Dwarf.CfaOffsetExtendedSf:
                            {
                                uint reg = r.Uleb();
                                SetSaved(ref state, reg, checked(r.Sleb() * cie.DataAlignment), at);
                                break;
                            }
                        case Dwarf.CfaRestoreExtended:
                            Restore(ref state, initial, r.Uleb());
                            break;
                        case Dwarf.CfaUndefined:
                            {
                                uint reg = r.Uleb();
                                if (reg == (uint)UnwindRegister.ReturnAddress) state.HasCaller = false;
                                else if (reg == (uint)UnwindRegister.Rbp) throw Malformed(at, "rbp is undefined");
                                break;
                            }
                        case Dwarf.CfaSameValue:
                            {
                                uint reg = r.Uleb();
                                if (reg == (uint)UnwindRegister.Rbp) state.RbpOffset = 0;
                                else if (reg == (uint)UnwindRegister.ReturnAddress) throw Malformed(at, "the return address cannot keep its value");
                                break;
                            }
                        case Dwarf.CfaRememberState:
                            if (depth == MaxRememberDepth) throw Malformed(at, $"more than {MaxRememberDepth} nested DW_CFA_remember_state");
                            remembered[depth++] = state;
                            break;
                        case Dwarf.CfaRestoreState:
                            if (depth == 0) throw Malformed(at, "DW_CFA_restore_state without DW_CFA_remember_state");
                            state = remembered[--depth];
                            break;
                        case Dwarf.CfaDefCfa:
                            state.CfaRegister = CfaRegisterOf(r.Uleb(), at);
                            state.CfaOffset = checked((int)r.Uleb());
                            break;
                        case Dwarf.CfaDefCfaSf:
                            state.CfaRegister = CfaRegisterOf(r.Uleb(), at);
                            state.CfaOffset = checked(r.Sleb() * cie.DataAlignment);
                            break;
                        case Dwarf.CfaDefCfaRegister:
                            state.CfaRegister = CfaRegisterOf(r.Uleb(), at);
                            break;
                        case Dwarf.CfaDefCfaOffset:
                            state.CfaOffset = checked((int)r.Uleb());
                            break;
                        case Dwarf.CfaDefCfaOffsetSf:
                            state.CfaOffset = checked(r.Sleb() * cie.DataAlignment);
                            break;
                        case Dwarf.CfaGnuArgsSize:
                            r.Uleb();
                            continue;
                        case Dwarf.CfaRegister:
                        case Dwarf.CfaDefCfaExpression:
                        case Dwarf.CfaExpression:
                        case Dwarf.CfaValOffset:
                        case Dwarf.CfaValOffsetSf:
                        case Dwarf.CfaValExpression:
                        case Dwarf.CfaSetLoc:
                            throw Malformed(at, $"call-frame instruction 0x{op:x2} is not supported by Sharptime's unwinder");
                        default:
                            throw Malformed(at, $"unknown call-frame instruction 0x{op:x2}");
                    }
                    break;
            }
            if (rows is null) continue;
            // A rule changed: it holds from the current location on.
            if (location >= range) continue; // past the end of the function: no instruction is affected
            var row = ToRow(start + location, state);
            if (rows[^1].Pc == row.Pc) rows[^1] = row;
            else rows.Add(row);
        }
        if (depth != 0 && rows is null) throw Malformed(entry, "CIE initial instructions leave a remembered state");
    }

    private static void Advance(ref uint location, ulong delta, uint range, int at)
    {
        ulong next = location + delta;
        if (next > range) throw Malformed(at, $"DW_CFA_advance_loc moves past the end of the function (0x{next:x} > 0x{range:x})");
        location = (uint)next;
    }

    private static byte CfaRegisterOf(uint register, int at) => register switch
    {
        (uint)UnwindRegister.Rsp => CfaRsp,
        (uint)UnwindRegister.Rbp => CfaRbp,
        _ => throw Malformed(at, $"the CFA is based on DWARF register {register}; only rsp (7) and rbp (6) are supported"),
    };

    private static void SetSaved(ref State state, uint register, int cfaOffset, int at)
    {
        if (register == (uint)UnwindRegister.Rbp) state.RbpOffset = cfaOffset;
        else if (register == (uint)UnwindRegister.ReturnAddress)
        {
            state.ReturnAddressOffset = cfaOffset;
            state.HasCaller = true;
        }
        else return;
        if (cfaOffset >= 0 || (cfaOffset & 7) != 0) throw Malformed(at, $"register {register} saved at CFA{cfaOffset:+0;-0}, not an 8-aligned slot below the CFA");
    }

    private static void Restore(ref State state, in State initial, uint register)
    {
        if (register == (uint)UnwindRegister.Rbp) state.RbpOffset = initial.RbpOffset;
        else if (register == (uint)UnwindRegister.ReturnAddress)
        {
            state.ReturnAddressOffset = initial.ReturnAddressOffset;
            state.HasCaller = initial.HasCaller;
        }
    }

    private static InvalidDataException Malformed(int offset, string what) =>
        new($".eh_frame is malformed at offset {offset}: {what}");

    /// <summary>Bounds-checked little-endian reader over one entry.</summary>
    private ref struct Reader(ReadOnlySpan<byte> section, int start, int end)
    {
        private readonly ReadOnlySpan<byte> _section = section;
        public int Position = start;
        public readonly int End = end;

        public readonly bool AtEnd => Position >= End;
        public readonly ReadOnlySpan<byte> Slice(int from, int to) => _section[from..to];

        private ReadOnlySpan<byte> Take(int n)
        {
            if (n < 0 || End - Position < n) throw Malformed(Position, "an entry's contents run past its length");
            var span = _section.Slice(Position, n);
            Position += n;
            return span;
        }

        public byte U8() => Take(1)[0];
        public ushort U16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));
        public uint U32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));
        public ulong U64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));
        public void Skip(int n) => Take(n);

        public uint Uleb()
        {
            uint result = 0;
            for (int shift = 0; ; shift += 7)
            {
                byte b = U8();
                if (shift > 28 || (shift == 28 && b > 0x0F)) throw Malformed(Position - 1, "LEB128 value does not fit 32 bits");
                result |= (uint)(b & 0x7F) << shift;
                if ((b & 0x80) == 0) return result;
            }
        }

        public int Sleb()
        {
            int result = 0;
            for (int shift = 0; ; shift += 7)
            {
                byte b = U8();
                if (shift > 28) throw Malformed(Position - 1, "LEB128 value does not fit 32 bits");
                result |= (b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    if (shift < 25 && (b & 0x40) != 0) result |= -1 << (shift + 7);
                    return result;
                }
            }
        }
    }
}
