using Sharptime.Artifacts.Elf;
using Sharptime.Artifacts.Sections;
using Sharptime.Compiler;
using Sharptime.Format;
using Sharptime.Vm.Debugging;
using Sharptime.Vm.MemoryImages;

namespace Sharptime.Artifacts;

/// <summary>Lays out a compiled module as an artifact (see <see cref="ArtifactFormat"/> for the layout).</summary>
internal static class ArtifactWriter
{
    /// <param name="compiled">The module's code; null when it defines no functions.</param>
    /// <param name="info">The decoded module.</param>
    /// <param name="displayName">The name the module was given (<see cref="Module.Name"/>).</param>
    /// <param name="metadata">The settings the code was generated with.</param>
    /// <param name="config">The engine's config (symbol naming only).</param>
    public static byte[] WriteModule(CompiledModule? compiled, ModuleInfo info, string? displayName, EngineMetadata metadata, Config config)
    {
        var elf = new ElfBuilder();
        elf.Add(new ElfBuilder.Section
        {
            Name = ArtifactFormat.ChecksumSection, Type = ElfBuilder.ShtProgBits, Data = new byte[ArtifactChecksum.Size],
            FileOffset = ArtifactChecksum.FieldOffset,
        });

        var code = compiled?.Code ?? [];
        var image = compiled is null ? null : CodeImageDescription.ForModule(compiled, info, displayName, config);
        long textOffset = ArtifactFormat.PageAlignment;
        int text = elf.Add(new ElfBuilder.Section
        {
            Name = ArtifactFormat.TextSection, Type = ElfBuilder.ShtProgBits, Flags = ElfBuilder.ShfAlloc | ElfBuilder.ShfExec,
            Address = (ulong)textOffset, Data = code, Alignment = 16, FileOffset = textOffset,
        });
        long ehFrameOffset = textOffset + Vm.Unwind.EhFrameWriter.PlacementAfter(code.Length);
        var ehFrame = image?.EhFrame ?? [];
        elf.Add(new ElfBuilder.Section
        {
            Name = ArtifactFormat.EhFrameSection, Type = ElfBuilder.ShtProgBits, Flags = ElfBuilder.ShfAlloc,
            Address = (ulong)ehFrameOffset, Data = ehFrame, Alignment = 8, FileOffset = ehFrameOffset,
        });

        // Metadata starts on a fresh page so making the text executable exposes nothing else.
        long metadataOffset = AlignUp(ehFrameOffset + ehFrame.Length, ArtifactFormat.PageAlignment);
        Metadata(elf, ArtifactFormat.EngineSection, metadata.Encode(), metadataOffset);
        Metadata(elf, ArtifactFormat.TypesSection, TypesSection.Encode(info.Types));
        var images = MemoryImagePlanner.Plan(info, ArtifactFormat.PageAlignment);
        Metadata(elf, ArtifactFormat.ModuleSection, ModuleInfoSection.Encode(info, images.IsCovered));
        Metadata(elf, ArtifactFormat.NamesSection, NamesSection.Encode(displayName, info.Names));
        Metadata(elf, ArtifactFormat.FunctionsSection, compiled is null ? EmptyLayout : CodeLayoutSection.Encode(compiled));
        Metadata(elf, ArtifactFormat.TrapsSection, compiled is null ? EmptyTable : TrapTableSection.Encode(compiled.TrapTable));
        Metadata(elf, ArtifactFormat.FaultSitesSection, FaultSitesSection.Encode(compiled));
        Metadata(elf, ArtifactFormat.AddressMapSection, compiled is null ? EmptyTable : AddressMapSection.Encode(compiled.AddressMap));
        Metadata(elf, ArtifactFormat.ImagesSection, ImagesSection.Encode(images));
        for (int i = 0; i < images.Images.Count; i++)
        {
            var data = new byte[checked((int)images.Images[i].Length)];
            images.Images[i].WriteTo(data);
            elf.Add(new ElfBuilder.Section
            {
                Name = ImagesSection.ImageSectionName(i), Type = ElfBuilder.ShtProgBits, Data = data, Alignment = (ulong)ArtifactFormat.PageAlignment,
            });
        }
        if (image is not null) SymbolTable(elf, image.Symbols, text, textOffset);

        var bytes = elf.Build(ElfBuilder.TypeShared, ArtifactFormat.OsAbi, ArtifactFormat.FlagsModule);
        ArtifactChecksum.Compute(bytes, bytes.AsSpan(ArtifactChecksum.FieldOffset, ArtifactChecksum.Size));
        return bytes;
    }

    private static readonly byte[] EmptyTable = new byte[4];
    private static readonly byte[] EmptyLayout = new byte[16];

    private static void Metadata(ElfBuilder elf, string name, byte[] data, long fileOffset = -1) =>
        elf.Add(new ElfBuilder.Section { Name = name, Type = ElfBuilder.ShtProgBits, Data = data, Alignment = 8, FileOffset = fileOffset });

    /// <summary><c>.symtab</c> and <c>.strtab</c> naming every function and trampoline, for objdump and readelf.</summary>
    private static void SymbolTable(ElfBuilder elf, CodeSymbol[] symbols, int textIndex, long textOffset)
    {
        var strings = new MemoryStream();
        strings.WriteByte(0);
        var table = new byte[ElfBuilder.SymbolSize * (symbols.Length + 1)];
        for (int i = 0; i < symbols.Length; i++)
        {
            uint name = (uint)strings.Length;
            strings.Write(System.Text.Encoding.UTF8.GetBytes(symbols[i].Name));
            strings.WriteByte(0);
            ElfBuilder.WriteSymbol(table, i + 1, name, 0, ElfBuilder.SttFunc, (ushort)textIndex,
                (ulong)(textOffset + symbols[i].Offset), (ulong)symbols[i].Length);
        }
        var symtab = new ElfBuilder.Section
        {
            Name = ".symtab", Type = ElfBuilder.ShtSymTab, Data = table, Alignment = 8, EntrySize = ElfBuilder.SymbolSize,
            Info = (uint)(symbols.Length + 1),
        };
        elf.Add(symtab);
        symtab.Link = (uint)elf.Add(new ElfBuilder.Section { Name = ".strtab", Type = ElfBuilder.ShtStrTab, Data = strings.ToArray() });
    }

    private static long AlignUp(long value, long alignment) => (value + alignment - 1) / alignment * alignment;
}
