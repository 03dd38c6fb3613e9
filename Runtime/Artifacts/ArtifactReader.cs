using System.Buffers.Binary;

namespace Sharptime.Artifacts;

/// <summary>One section of an artifact: where its bytes are in the file.</summary>
internal readonly record struct ArtifactSection(string Name, long Offset, long Size, uint Type, ulong Flags);

/// <summary>
/// Reads the ELF structure of an artifact with every offset, size and index checked against the file, so a truncated
/// or edited file is reported as <see cref="InvalidArtifactException"/> instead of being read out of bounds.
/// </summary>
internal sealed class ArtifactReader
{
    private const int HeaderSize = 64, SectionHeaderSize = 64;
    private static ReadOnlySpan<byte> ElfMagic => [0x7F, (byte)'E', (byte)'L', (byte)'F'];
    private readonly Dictionary<string, ArtifactSection> _sections;

    private ArtifactReader(Precompiled kind, ushort machine, Dictionary<string, ArtifactSection> sections)
    {
        Kind = kind;
        Machine = machine;
        _sections = sections;
    }

    public Precompiled Kind { get; }

    /// <summary>e_machine: <see cref="ArtifactFormat.MachineX64"/> or another target's.</summary>
    public ushort Machine { get; }

    /// <summary>What the ELF identification says <paramref name="file"/> is, without looking further.</summary>
    public static Precompiled? Detect(ReadOnlySpan<byte> file)
    {
        if (file.Length < HeaderSize || !file[..4].SequenceEqual(ElfMagic)) return null;
        if (file[4] != 2 || file[5] != 1 || file[7] != ArtifactFormat.OsAbi) return null;
        return BinaryPrimitives.ReadUInt32LittleEndian(file[48..]) switch
        {
            ArtifactFormat.FlagsModule => Precompiled.Module,
            ArtifactFormat.FlagsComponent => Precompiled.Component,
            _ => null,
        };
    }

    /// <summary>Checks the identification and the checksum, then reads the section table.</summary>
    public static ArtifactReader Read(ReadOnlySpan<byte> file)
    {
        var kind = Detect(file) ?? throw new InvalidArtifactException(
            file.Length >= 4 && file[..4].SequenceEqual("\0asm"u8)
                ? "this is a WebAssembly binary, not a precompiled artifact (load it with Module.FromBytes)"
                : "not a Sharptime artifact (no ELF header with Sharptime's identification)");
        if (!ArtifactChecksum.Verify(file))
            throw new InvalidArtifactException("the checksum does not match the contents: the file is truncated or corrupted");

        ushort machine = BinaryPrimitives.ReadUInt16LittleEndian(file[18..]);
        ulong shoff = BinaryPrimitives.ReadUInt64LittleEndian(file[40..]);
        ushort shentsize = BinaryPrimitives.ReadUInt16LittleEndian(file[58..]);
        ushort shnum = BinaryPrimitives.ReadUInt16LittleEndian(file[60..]);
        ushort shstrndx = BinaryPrimitives.ReadUInt16LittleEndian(file[62..]);
        if (shentsize != SectionHeaderSize) throw new InvalidArtifactException($"section headers are {shentsize} bytes, expected {SectionHeaderSize}");
        if (shnum == 0 || shstrndx >= shnum) throw new InvalidArtifactException($"section-name table index {shstrndx} is not among the {shnum} sections");
        if (shoff > (ulong)file.Length || (ulong)shnum * SectionHeaderSize > (ulong)file.Length - shoff)
            throw new InvalidArtifactException($"the {shnum} section headers at offset {shoff} run past the end of the {file.Length}-byte file");

        var headers = file.Slice((int)shoff, shnum * SectionHeaderSize);
        var names = SectionBytes(file, headers, shstrndx, "the section-name table");
        var sections = new Dictionary<string, ArtifactSection>(StringComparer.Ordinal);
        for (int i = 1; i < shnum; i++)
        {
            var h = headers.Slice(i * SectionHeaderSize, SectionHeaderSize);
            uint nameOffset = BinaryPrimitives.ReadUInt32LittleEndian(h);
            if (nameOffset >= (uint)names.Length) throw new InvalidArtifactException($"section {i}'s name is outside the name table");
            int end = names[(int)nameOffset..].IndexOf((byte)0);
            if (end < 0) throw new InvalidArtifactException($"section {i}'s name is not terminated");
            string name = System.Text.Encoding.UTF8.GetString(names.Slice((int)nameOffset, end));
            SectionBytes(file, headers, i, $"section {name}");
            var section = new ArtifactSection(name,
                (long)BinaryPrimitives.ReadUInt64LittleEndian(h[24..]), (long)BinaryPrimitives.ReadUInt64LittleEndian(h[32..]),
                BinaryPrimitives.ReadUInt32LittleEndian(h[4..]), BinaryPrimitives.ReadUInt64LittleEndian(h[8..]));
            if (!sections.TryAdd(name, section)) throw new InvalidArtifactException($"section {name} appears twice");
        }
        return new ArtifactReader(kind, machine, sections);
    }

    /// <summary>The section named <paramref name="name"/>; a required section that is missing is an error.</summary>
    public ArtifactSection Get(string name) =>
        _sections.TryGetValue(name, out var s) ? s : throw new InvalidArtifactException($"section {name} is missing");

    public bool TryGet(string name, out ArtifactSection section) => _sections.TryGetValue(name, out section);

    private static ReadOnlySpan<byte> SectionBytes(ReadOnlySpan<byte> file, ReadOnlySpan<byte> headers, int index, string what)
    {
        var h = headers.Slice(index * SectionHeaderSize, SectionHeaderSize);
        uint type = BinaryPrimitives.ReadUInt32LittleEndian(h[4..]);
        ulong offset = BinaryPrimitives.ReadUInt64LittleEndian(h[24..]);
        ulong size = BinaryPrimitives.ReadUInt64LittleEndian(h[32..]);
        const uint NoBits = 8;
        if (type == NoBits) return [];
        if (offset > (ulong)file.Length || size > (ulong)file.Length - offset || size > int.MaxValue)
            throw new InvalidArtifactException($"{what} (offset {offset}, {size} bytes) lies outside the {file.Length}-byte file");
        return file.Slice((int)offset, (int)size);
    }
}
