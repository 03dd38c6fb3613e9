using System.Buffers.Binary;

namespace Sharptime.Vm.Unwind;

/// <summary>
/// Writes an <c>.eh_frame</c> section: one CIE, one FDE per <see cref="FunctionUnwind"/>, and a zero terminator.
/// Addresses are PC-relative (<c>DW_EH_PE_pcrel | DW_EH_PE_sdata4</c>), so the section is valid wherever the image
/// is mapped, as long as it stays at the same distance from the text; loading applies no relocations.
/// </summary>
internal static class EhFrameWriter
{
    /// <summary>The FDE pointer encoding of every FDE we write.</summary>
    public const byte PointerEncoding = Dwarf.PePcRel | Dwarf.PeSdata4;

    /// <summary>Where <c>.eh_frame</c> goes in an image whose text is <paramref name="textLength"/> bytes: right after it, 8-aligned.</summary>
    public static int PlacementAfter(int textLength) => (textLength + 7) & ~7;

    /// <summary>
    /// The <c>.eh_frame</c> bytes for <paramref name="functions"/> (offsets relative to the text start), to be placed
    /// at <paramref name="ehFrameOffset"/> from the text start.
    /// </summary>
    /// <exception cref="ArgumentException">A description is inconsistent (see <see cref="UnwindOperation"/>).</exception>
    public static byte[] Write(IReadOnlyList<FunctionUnwind> functions, int ehFrameOffset)
    {
        ArgumentNullException.ThrowIfNull(functions);
        if (ehFrameOffset < 0 || (ehFrameOffset & 7) != 0)
            throw new ArgumentOutOfRangeException(nameof(ehFrameOffset), ehFrameOffset, "the .eh_frame offset must be a non-negative multiple of 8");
        var w = new Buffer(64 + 32 * functions.Count);
        WriteCie(ref w);
        foreach (var function in functions) WriteFde(ref w, function, ehFrameOffset);
        w.U32(0);
        return w.ToArray();
    }

    private static void WriteCie(ref Buffer w)
    {
        int start = w.Length;
        w.U32(0); // length, patched
        w.U32(0); // CIE id: 0 marks a CIE in .eh_frame
        w.U8(1); // version
        w.U8((byte)'z');
        w.U8((byte)'R');
        w.U8(0);
        w.Uleb(Dwarf.CodeAlignment);
        w.Sleb(Dwarf.DataAlignment);
        w.U8((byte)UnwindRegister.ReturnAddress);
        w.Uleb(1); // augmentation data: the R byte
        w.U8(PointerEncoding);
        // At a call target: CFA = rsp + 8, return address just below it.
        w.U8(Dwarf.CfaDefCfa);
        w.Uleb((uint)UnwindRegister.Rsp);
        w.Uleb(8);
        w.U8((byte)(Dwarf.CfaOffset | (byte)UnwindRegister.ReturnAddress));
        w.Uleb(1);
        FinishEntry(ref w, start);
    }

    private static void WriteFde(ref Buffer w, FunctionUnwind f, int ehFrameOffset)
    {
        if (f.Start < 0 || f.Length <= 0 || (long)f.Start + f.Length > ehFrameOffset)
            throw new ArgumentException($"function at {f.Start} (+{f.Length}) does not lie in the text before .eh_frame at {ehFrameOffset}");
        int start = w.Length;
        w.U32(0); // length, patched
        w.U32((uint)w.Length); // CIE pointer: distance back from this field to the CIE, which starts at 0
        w.U32((uint)(f.Start - (ehFrameOffset + w.Length)));
        w.U32((uint)f.Length);
        w.Uleb(0); // no augmentation data
        WriteInstructions(ref w, f);
        FinishEntry(ref w, start);
    }

    private static void WriteInstructions(ref Buffer w, FunctionUnwind f)
    {
        int location = 0;
        var cfaRegister = UnwindRegister.Rsp;
        int cfaOffset = 8;
        var remembered = new Stack<(UnwindRegister, int)>();
        foreach (var code in f.Codes)
        {
            if (code.Offset < location || code.Offset > f.Length)
                throw new ArgumentException($"function at {f.Start}: unwind code offset {code.Offset} is out of order or past its length {f.Length}");
            Advance(ref w, code.Offset - location);
            location = code.Offset;
            switch (code.Operation)
            {
                case UnwindOperation.PushFrameRegister:
                    Require(f, cfaRegister == UnwindRegister.Rsp, "PushFrameRegister after the frame register is set");
                    cfaOffset += 8;
                    w.U8(Dwarf.CfaDefCfaOffset);
                    w.Uleb((uint)cfaOffset);
                    w.U8((byte)(Dwarf.CfaOffset | (byte)UnwindRegister.Rbp));
                    w.Uleb((uint)(cfaOffset / 8));
                    break;
                case UnwindOperation.SetFrameRegister:
                    Require(f, cfaRegister == UnwindRegister.Rsp, "SetFrameRegister twice");
                    cfaRegister = UnwindRegister.Rbp;
                    w.U8(Dwarf.CfaDefCfaRegister);
                    w.Uleb((uint)UnwindRegister.Rbp);
                    break;
                case UnwindOperation.SaveRegister:
                    Require(f, code.Register is not (UnwindRegister.Rsp or UnwindRegister.ReturnAddress), $"SaveRegister of {code.Register}");
                    Require(f, code.Value > 0 && code.Value % 8 == 0, $"SaveRegister at CFA offset {code.Value} (must be a positive multiple of 8)");
                    w.U8((byte)(Dwarf.CfaOffset | (byte)code.Register));
                    w.Uleb((uint)(code.Value / 8));
                    break;
                case UnwindOperation.AllocateStack:
                    Require(f, cfaRegister == UnwindRegister.Rsp, "AllocateStack after the frame register is set");
                    Require(f, code.Value > 0, $"AllocateStack of {code.Value} bytes");
                    cfaOffset += code.Value;
                    w.U8(Dwarf.CfaDefCfaOffset);
                    w.Uleb((uint)cfaOffset);
                    break;
                case UnwindOperation.PopFrameRegister:
                    Require(f, cfaRegister == UnwindRegister.Rbp, "PopFrameRegister without SetFrameRegister");
                    remembered.Push((cfaRegister, cfaOffset));
                    w.U8(Dwarf.CfaRememberState);
                    w.U8(Dwarf.CfaDefCfa);
                    w.Uleb((uint)UnwindRegister.Rsp);
                    w.Uleb(8);
                    w.U8(Dwarf.CfaSameValue);
                    w.Uleb((uint)UnwindRegister.Rbp);
                    (cfaRegister, cfaOffset) = (UnwindRegister.Rsp, 8);
                    break;
                case UnwindOperation.RestoreBodyState:
                    Require(f, remembered.Count > 0, "RestoreBodyState without PopFrameRegister");
                    (cfaRegister, cfaOffset) = remembered.Pop();
                    w.U8(Dwarf.CfaRestoreState);
                    break;
                default:
                    throw new ArgumentException($"function at {f.Start}: unknown unwind operation {code.Operation}");
            }
        }
    }

    private static void Require(FunctionUnwind f, bool condition, string what)
    {
        if (!condition) throw new ArgumentException($"function at {f.Start}: invalid unwind description ({what})");
    }

    private static void Advance(ref Buffer w, int delta)
    {
        if (delta == 0) return;
        if (delta < 0x40) w.U8((byte)(Dwarf.CfaAdvanceLoc | delta));
        else if (delta <= byte.MaxValue)
        {
            w.U8(Dwarf.CfaAdvanceLoc1);
            w.U8((byte)delta);
        }
        else if (delta <= ushort.MaxValue)
        {
            w.U8(Dwarf.CfaAdvanceLoc2);
            w.U16((ushort)delta);
        }
        else
        {
            w.U8(Dwarf.CfaAdvanceLoc4);
            w.U32((uint)delta);
        }
    }

    /// <summary>Pads an entry with DW_CFA_nop to a multiple of 8 bytes (the section's alignment) and patches its length.</summary>
    private static void FinishEntry(ref Buffer w, int start)
    {
        while (((w.Length - start) & 7) != 0) w.U8(Dwarf.CfaNop);
        w.PatchU32(start, (uint)(w.Length - start - 4));
    }

    private struct Buffer(int capacity)
    {
        private byte[] _bytes = new byte[capacity];
        public int Length { get; private set; }

        private Span<byte> Grow(int n)
        {
            if (Length + n > _bytes.Length) Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, Length + n));
            var span = _bytes.AsSpan(Length, n);
            Length += n;
            return span;
        }

        public void U8(byte value) => Grow(1)[0] = value;
        public void U16(ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(Grow(2), value);
        public void U32(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Grow(4), value);
        public readonly void PatchU32(int at, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(_bytes.AsSpan(at, 4), value);

        public void Uleb(uint value)
        {
            do
            {
                byte b = (byte)(value & 0x7F);
                value >>= 7;
                U8(value != 0 ? (byte)(b | 0x80) : b);
            } while (value != 0);
        }

        public void Sleb(int value)
        {
            while (true)
            {
                byte b = (byte)(value & 0x7F);
                value >>= 7;
                bool done = (value == 0 && (b & 0x40) == 0) || (value == -1 && (b & 0x40) != 0);
                U8(done ? b : (byte)(b | 0x80));
                if (done) return;
            }
        }

        public readonly byte[] ToArray() => _bytes.AsSpan(0, Length).ToArray();
    }
}
