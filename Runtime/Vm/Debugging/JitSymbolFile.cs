using Sharptime.Artifacts.Elf;
using System.Text;

namespace Sharptime.Vm.Debugging;

/// <summary>
/// The in-memory ELF object a debugger reads for one loaded image (GDB JIT interface): <c>.text</c> as SHT_NOBITS at
/// the real code address (the debugger reads code from the process), a copy of <c>.eh_frame</c> at its real address
/// (so PC-relative pointers resolve as in the process), and one FUNC symbol per function with its absolute address.
/// </summary>
/// <remarks>
/// ET_EXEC, because gdb relocates the sections of an ET_REL object it is given and would move the NOBITS text;
/// an executable's addresses are taken as they are.
/// </remarks>
internal static class JitSymbolFile
{
    public static byte[] Build(nint text, int textLength, nint ehFrame, ReadOnlySpan<byte> ehFrameBytes, ReadOnlySpan<CodeSymbol> symbols)
    {
        var elf = new ElfBuilder();
        int textIndex = elf.Add(new ElfBuilder.Section
        {
            Name = ".text", Type = ElfBuilder.ShtNoBits, Flags = ElfBuilder.ShfAlloc | ElfBuilder.ShfExec,
            Address = (ulong)text, Size = (ulong)Math.Max(textLength, 1), Alignment = 16,
        });
        if (!ehFrameBytes.IsEmpty)
        {
            elf.Add(new ElfBuilder.Section
            {
                Name = ".eh_frame", Type = ElfBuilder.ShtProgBits, Flags = ElfBuilder.ShfAlloc,
                Address = (ulong)ehFrame, Data = ehFrameBytes.ToArray(), Alignment = 8,
            });
        }

        var strtab = new MemoryStream();
        strtab.WriteByte(0);
        var symtab = new byte[ElfBuilder.SymbolSize * (symbols.Length + 1)];
        for (int i = 0; i < symbols.Length; i++)
        {
            uint name = (uint)strtab.Length;
            strtab.Write(Encoding.UTF8.GetBytes(symbols[i].Name));
            strtab.WriteByte(0);
            ElfBuilder.WriteSymbol(symtab, i + 1, name, ElfBuilder.StbGlobal, ElfBuilder.SttFunc, (ushort)textIndex,
                (ulong)(text + symbols[i].Offset), (ulong)symbols[i].Length);
        }
        var symtabSection = new ElfBuilder.Section
        {
            Name = ".symtab", Type = ElfBuilder.ShtSymTab, Data = symtab, Alignment = 8, EntrySize = ElfBuilder.SymbolSize,
            Info = 1, // index of the first global symbol: all but the null one
        };
        elf.Add(symtabSection);
        symtabSection.Link = (uint)elf.Add(new ElfBuilder.Section { Name = ".strtab", Type = ElfBuilder.ShtStrTab, Data = strtab.ToArray() });
        return elf.Build(ElfBuilder.TypeExecutable);
    }
}
