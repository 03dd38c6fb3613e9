using System.Buffers.Binary;
using System.Text;

namespace Sharptime.Artifacts.Elf;

/// <summary>
/// A minimal ELF64 little-endian x86-64 writer for the small images debuggers need: sections with data at chosen or
/// automatic file offsets, optional program headers, a section-name table, and the section header table last.
/// </summary>
internal sealed class ElfBuilder
{
    public const ushort TypeExecutable = 2, TypeShared = 3;
    public const uint ShtProgBits = 1, ShtSymTab = 2, ShtStrTab = 3, ShtHash = 5, ShtDynamic = 6, ShtNoBits = 8, ShtDynSym = 11;
    public const ulong ShfWrite = 1, ShfAlloc = 2, ShfExec = 4;
    public const uint PtLoad = 1, PtDynamic = 2, PtGnuStack = 0x6474E551;
    public const uint PfX = 1, PfW = 2, PfR = 4;
    public const byte StbGlobal = 1, SttObject = 1, SttFunc = 2;
    private const int HeaderSize = 64, ProgramHeaderSize = 56, SectionHeaderSize = 64;
    public const int SymbolSize = 24;

    /// <summary>One section. <see cref="Data"/> is null for SHT_NOBITS, which then occupies <see cref="Size"/> bytes of address space only.</summary>
    public sealed class Section
    {
        public required string Name { get; init; }
        public required uint Type { get; init; }
        public ulong Flags { get; init; }
        public ulong Address { get; init; }
        public byte[]? Data { get; init; }
        public ulong Size { get; init; }
        public uint Link { get; set; }
        public uint Info { get; init; }
        public ulong Alignment { get; init; } = 1;
        public ulong EntrySize { get; init; }
        /// <summary>Fixed file offset (for sections inside program headers), or −1 to place it after the previous one.</summary>
        public long FileOffset { get; init; } = -1;
    }

    /// <summary>One program header, written as given.</summary>
    public readonly record struct Segment(uint Type, uint Flags, ulong Offset, ulong Address, ulong FileSize, ulong MemorySize, ulong Alignment);

    private readonly List<Section> _sections = [];
    private readonly List<Segment> _segments = [];

    /// <summary>Adds a section and returns its index (the null section is index 0).</summary>
    public int Add(Section section)
    {
        _sections.Add(section);
        return _sections.Count;
    }

    public void Add(Segment segment) => _segments.Add(segment);

    /// <summary>File offset where section data may start: after the ELF header and program headers.</summary>
    public int FirstDataOffset => HeaderSize + ProgramHeaderSize * _segments.Count;

    /// <summary>Lays out the image: ELF header, program headers, section data, <c>.shstrtab</c>, section headers.</summary>
    /// <param name="type">e_type, e.g. <see cref="TypeShared"/>.</param>
    /// <param name="osAbi">EI_OSABI.</param>
    /// <param name="flags">e_flags.</param>
    public byte[] Build(ushort type, byte osAbi = 0, uint flags = 0)
    {
        var shstrtab = new MemoryStream();
        shstrtab.WriteByte(0);
        var nameOffsets = new int[_sections.Count + 1];
        for (int i = 0; i < _sections.Count; i++)
        {
            nameOffsets[i] = (int)shstrtab.Length;
            shstrtab.Write(Encoding.ASCII.GetBytes(_sections[i].Name));
            shstrtab.WriteByte(0);
        }
        nameOffsets[_sections.Count] = (int)shstrtab.Length;
        shstrtab.Write(".shstrtab\0"u8);

        var offsets = new long[_sections.Count];
        long position = FirstDataOffset;
        for (int i = 0; i < _sections.Count; i++)
        {
            var s = _sections[i];
            if (s.FileOffset >= 0)
            {
                if (s.FileOffset < position) throw new InvalidOperationException($"section {s.Name} overlaps the one before it");
                position = s.FileOffset;
            }
            else position = Align(position, (long)Math.Max(s.Alignment, 1));
            offsets[i] = position;
            if (s.Data is not null) position += s.Data.Length;
        }
        long shstrtabOffset = position;
        position += shstrtab.Length;
        long sectionHeaders = Align(position, 8);
        int sectionCount = _sections.Count + 2;
        var image = new byte[sectionHeaders + SectionHeaderSize * sectionCount];
        var span = image.AsSpan();

        // ELF header.
        "\x7F"u8.CopyTo(span);
        "ELF"u8.CopyTo(span[1..]);
        span[4] = 2; // ELFCLASS64
        span[5] = 1; // little-endian
        span[6] = 1; // EV_CURRENT
        span[7] = osAbi;
        U16(span, 16, type);
        U16(span, 18, 62); // EM_X86_64
        U32(span, 20, 1);
        U32(span, 48, flags);
        U64(span, 32, _segments.Count > 0 ? HeaderSize : 0ul);
        U64(span, 40, (ulong)sectionHeaders);
        U16(span, 52, HeaderSize);
        U16(span, 54, ProgramHeaderSize);
        U16(span, 56, (ushort)_segments.Count);
        U16(span, 58, SectionHeaderSize);
        U16(span, 60, (ushort)sectionCount);
        U16(span, 62, (ushort)(sectionCount - 1));

        for (int i = 0; i < _segments.Count; i++)
        {
            var p = span[(HeaderSize + ProgramHeaderSize * i)..];
            var g = _segments[i];
            U32(p, 0, g.Type);
            U32(p, 4, g.Flags);
            U64(p, 8, g.Offset);
            U64(p, 16, g.Address);
            U64(p, 24, g.Address);
            U64(p, 32, g.FileSize);
            U64(p, 40, g.MemorySize);
            U64(p, 48, g.Alignment);
        }

        for (int i = 0; i < _sections.Count; i++)
        {
            var s = _sections[i];
            s.Data?.CopyTo(span[(int)offsets[i]..]);
            WriteSectionHeader(span[(int)(sectionHeaders + SectionHeaderSize * (i + 1))..], nameOffsets[i], s.Type, s.Flags, s.Address,
                (ulong)offsets[i], s.Data is null ? s.Size : (ulong)s.Data.Length, s.Link, s.Info, s.Alignment, s.EntrySize);
        }
        shstrtab.ToArray().CopyTo(span[(int)shstrtabOffset..]);
        WriteSectionHeader(span[(int)(sectionHeaders + SectionHeaderSize * (sectionCount - 1))..], nameOffsets[_sections.Count], ShtStrTab, 0, 0,
            (ulong)shstrtabOffset, (ulong)shstrtab.Length, 0, 0, 1, 0);
        return image;
    }

    private static void WriteSectionHeader(Span<byte> h, int name, uint type, ulong flags, ulong address, ulong offset, ulong size,
        uint link, uint info, ulong alignment, ulong entrySize)
    {
        U32(h, 0, (uint)name);
        U32(h, 4, type);
        U64(h, 8, flags);
        U64(h, 16, address);
        U64(h, 24, offset);
        U64(h, 32, size);
        U32(h, 40, link);
        U32(h, 44, info);
        U64(h, 48, alignment);
        U64(h, 56, entrySize);
    }

    /// <summary>Writes one Elf64_Sym at <paramref name="index"/> of <paramref name="table"/>.</summary>
    public static void WriteSymbol(Span<byte> table, int index, uint name, byte binding, byte type, ushort section, ulong value, ulong size)
    {
        var s = table[(SymbolSize * index)..];
        U32(s, 0, name);
        s[4] = (byte)((binding << 4) | type);
        s[5] = 0; // STV_DEFAULT
        U16(s, 6, section);
        U64(s, 8, value);
        U64(s, 16, size);
    }

    private static long Align(long value, long alignment) => (value + alignment - 1) / alignment * alignment;
    public static void U16(Span<byte> s, int at, ushort v) => BinaryPrimitives.WriteUInt16LittleEndian(s[at..], v);
    public static void U32(Span<byte> s, int at, uint v) => BinaryPrimitives.WriteUInt32LittleEndian(s[at..], v);
    public static void U64(Span<byte> s, int at, ulong v) => BinaryPrimitives.WriteUInt64LittleEndian(s[at..], v);
}
