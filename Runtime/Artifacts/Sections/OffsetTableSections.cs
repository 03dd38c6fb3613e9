using System.Runtime.InteropServices;
using Sharptime.Compiler;
using Sharptime.Vm;

namespace Sharptime.Artifacts.Sections;

/// <summary>
/// <c>.sharptime.address_map</c> and <c>.sharptime.traps</c>: sorted tables keyed by code offset, laid out so that a
/// loaded artifact binary-searches them in place. u32 count N, then N i32 code offsets, then N i32 values (wasm
/// module offsets, or <see cref="TrapCode"/> values).
/// </summary>
internal static unsafe class OffsetTableSections
{
    public static byte[] Encode(ReadOnlySpan<int> codeOffsets, ReadOnlySpan<int> values)
    {
        var w = new SectionWriter(4 + 8 * codeOffsets.Length);
        w.U32((uint)codeOffsets.Length);
        w.Int32s(codeOffsets);
        w.Int32s(values);
        return w.ToArray();
    }

    public static byte[] Encode(AddressMap map) => Encode(map.CodeOffsets.Span, map.WasmOffsets.Span);

    public static byte[] Encode(TrapTable table) => Encode(table.CodeOffsets.Span, MemoryMarshal.Cast<TrapCode, int>(table.Codes.Span));

    // Invariant: the section is mapped (and stays mapped while the result is used), 4-byte aligned, and `length` long.
    public static AddressMap DecodeAddressMap(byte* section, int length)
    {
        int n = CheckedCount(section, length, ArtifactFormat.AddressMapSection);
        return new AddressMap(View<int>(section + 4, n), View<int>(section + 4 + 4L * n, n));
    }

    // Invariant: as for DecodeAddressMap.
    public static TrapTable DecodeTrapTable(byte* section, int length)
    {
        int n = CheckedCount(section, length, ArtifactFormat.TrapsSection);
        return new TrapTable(View<int>(section + 4, n), View<TrapCode>(section + 4 + 4L * n, n));
    }

    private static int CheckedCount(byte* section, int length, string name)
    {
        var r = new SectionReader(new ReadOnlySpan<byte>(section, length), name);
        uint n = r.U32();
        if ((ulong)length != 4 + 8UL * n) throw r.Invalid($"{length} bytes do not hold {n} entries");
        return (int)n;
    }

    private static ReadOnlyMemory<T> View<T>(byte* at, int count) where T : unmanaged =>
        count == 0 ? ReadOnlyMemory<T>.Empty : new NativeMemoryManager<T>((T*)at, count).Memory;
}
