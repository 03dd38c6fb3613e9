using Sharptime.Artifacts.Elf;
using System.Text;

namespace Sharptime.Vm.Debugging;

/// <summary>
/// Builds the tiny shared object that defines the two symbols of the GDB JIT interface, which gdb looks up by name
/// in every loaded object: <c>__jit_debug_register_code</c> (a <c>ret</c> gdb puts a breakpoint on) and
/// <c>__jit_debug_descriptor</c> (<c>{ uint32 version = 1, uint32 action, entry* relevant, entry* first }</c>).
/// The .NET runtime does not export them, and we do not ship native binaries, so we write the object ourselves.
/// </summary>
/// <remarks>
/// Two PT_LOAD segments (code read-execute, data read-write: the loader may write to .dynamic, and the descriptor is
/// written by us), PT_DYNAMIC with a SysV hash table so <c>dlsym</c> finds the symbols, and PT_GNU_STACK so the
/// loader does not ask for an executable stack. Section headers let gdb read the symbols.
/// </remarks>
internal static class GdbJitHookLibrary
{
    public const string RegisterCodeSymbol = "__jit_debug_register_code";
    public const string DescriptorSymbol = "__jit_debug_descriptor";
    private const int Page = 0x1000;
    private const int DescriptorSize = 24;

    public static byte[] Build()
    {
        var elf = new ElfBuilder();
        // Four program headers precede the data; the layout below is fixed, so compute it once.
        const int segments = 4;
        int cursor = 64 + 56 * segments;

        // .dynstr: the two names.
        var dynstr = Encoding.ASCII.GetBytes($"\0{RegisterCodeSymbol}\0{DescriptorSymbol}\0");
        const uint registerName = 1;
        uint descriptorName = (uint)(2 + RegisterCodeSymbol.Length);

        // .hash: one bucket chaining symbol 1 then 2 (nbucket, nchain, bucket[0], chain[0..2]).
        int hashOffset = cursor;
        var hash = new byte[4 * 6];
        ElfBuilder.U32(hash, 0, 1);
        ElfBuilder.U32(hash, 4, 3);
        ElfBuilder.U32(hash, 8, 1);
        ElfBuilder.U32(hash, 12, 0);
        ElfBuilder.U32(hash, 16, 2);
        ElfBuilder.U32(hash, 20, 0);
        cursor += hash.Length;
        int dynsymOffset = Align(cursor, 8);
        cursor = dynsymOffset + ElfBuilder.SymbolSize * 3;
        int dynstrOffset = cursor;
        cursor += dynstr.Length;
        int textOffset = Align(cursor, 16);
        byte[] text = [0xC3]; // ret
        int codeEnd = textOffset + text.Length;

        int dynamicOffset = Page;
        var dynamic = new byte[16 * 6];
        (long tag, long value)[] entries =
        [
            (4, hashOffset), // DT_HASH
            (5, dynstrOffset), // DT_STRTAB
            (6, dynsymOffset), // DT_SYMTAB
            (10, dynstr.Length), // DT_STRSZ
            (11, ElfBuilder.SymbolSize), // DT_SYMENT
            (0, 0), // DT_NULL
        ];
        for (int i = 0; i < entries.Length; i++)
        {
            ElfBuilder.U64(dynamic, 16 * i, (ulong)entries[i].tag);
            ElfBuilder.U64(dynamic, 16 * i + 8, (ulong)entries[i].value);
        }
        int dataOffset = dynamicOffset + dynamic.Length;
        var data = new byte[DescriptorSize];
        ElfBuilder.U32(data, 0, 1); // version
        int dataEnd = dataOffset + data.Length;

        const ushort textIndex = 4, dataIndex = 6;
        var dynsym = new byte[ElfBuilder.SymbolSize * 3];
        ElfBuilder.WriteSymbol(dynsym, 1, registerName, ElfBuilder.StbGlobal, ElfBuilder.SttFunc, textIndex, (ulong)textOffset, (ulong)text.Length);
        ElfBuilder.WriteSymbol(dynsym, 2, descriptorName, ElfBuilder.StbGlobal, ElfBuilder.SttObject, dataIndex, (ulong)dataOffset, DescriptorSize);

        elf.Add(new ElfBuilder.Segment(ElfBuilder.PtLoad, ElfBuilder.PfR | ElfBuilder.PfX, 0, 0, (ulong)codeEnd, (ulong)codeEnd, Page));
        elf.Add(new ElfBuilder.Segment(ElfBuilder.PtLoad, ElfBuilder.PfR | ElfBuilder.PfW, (ulong)dynamicOffset, (ulong)dynamicOffset,
            (ulong)(dataEnd - dynamicOffset), (ulong)(dataEnd - dynamicOffset), Page));
        elf.Add(new ElfBuilder.Segment(ElfBuilder.PtDynamic, ElfBuilder.PfR | ElfBuilder.PfW, (ulong)dynamicOffset, (ulong)dynamicOffset,
            (ulong)dynamic.Length, (ulong)dynamic.Length, 8));
        elf.Add(new ElfBuilder.Segment(ElfBuilder.PtGnuStack, ElfBuilder.PfR | ElfBuilder.PfW, 0, 0, 0, 0, 16));

        // Section indices: 1 .hash, 2 .dynsym, 3 .dynstr, 4 .text, 5 .dynamic, 6 .data (textIndex/dataIndex above).
        elf.Add(new ElfBuilder.Section { Name = ".hash", Type = ElfBuilder.ShtHash, Flags = ElfBuilder.ShfAlloc, Address = (ulong)hashOffset, Data = hash, FileOffset = hashOffset, Link = 2, Alignment = 8, EntrySize = 4 });
        elf.Add(new ElfBuilder.Section { Name = ".dynsym", Type = ElfBuilder.ShtDynSym, Flags = ElfBuilder.ShfAlloc, Address = (ulong)dynsymOffset, Data = dynsym, FileOffset = dynsymOffset, Link = 3, Info = 1, Alignment = 8, EntrySize = ElfBuilder.SymbolSize });
        elf.Add(new ElfBuilder.Section { Name = ".dynstr", Type = ElfBuilder.ShtStrTab, Flags = ElfBuilder.ShfAlloc, Address = (ulong)dynstrOffset, Data = dynstr, FileOffset = dynstrOffset });
        elf.Add(new ElfBuilder.Section { Name = ".text", Type = ElfBuilder.ShtProgBits, Flags = ElfBuilder.ShfAlloc | ElfBuilder.ShfExec, Address = (ulong)textOffset, Data = text, FileOffset = textOffset, Alignment = 16 });
        elf.Add(new ElfBuilder.Section { Name = ".dynamic", Type = ElfBuilder.ShtDynamic, Flags = ElfBuilder.ShfAlloc | ElfBuilder.ShfWrite, Address = (ulong)dynamicOffset, Data = dynamic, FileOffset = dynamicOffset, Link = 3, Alignment = 8, EntrySize = 16 });
        elf.Add(new ElfBuilder.Section { Name = ".data", Type = ElfBuilder.ShtProgBits, Flags = ElfBuilder.ShfAlloc | ElfBuilder.ShfWrite, Address = (ulong)dataOffset, Data = data, FileOffset = dataOffset, Alignment = 8 });
        return elf.Build(ElfBuilder.TypeShared);
    }

    private static int Align(int value, int alignment) => (value + alignment - 1) & ~(alignment - 1);
}
