using System.Runtime.InteropServices;
using Sharptime.Compiler;
using Sharptime.Vm;

namespace Sharptime.Artifacts.Sections;

/// <summary>
/// <c>.sharptime.traps</c>: the trap sites, sorted by code offset and laid out so that a loaded artifact
/// binary-searches them in place. u32 count N, then N i32 code offsets, then N i32 <see cref="TrapCode"/> values.
/// </summary>
internal static unsafe class TrapTableSection
{
    private static byte[] Encode(ReadOnlySpan<int> codeOffsets, ReadOnlySpan<int> values)
    {
        var w = new SectionWriter(4 + 8 * codeOffsets.Length);
        w.U32((uint)codeOffsets.Length);
        w.Int32s(codeOffsets);
        w.Int32s(values);
        return w.ToArray();
    }

    public static byte[] Encode(TrapTable table) => Encode(table.CodeOffsets.Span, MemoryMarshal.Cast<TrapCode, int>(table.Codes.Span));

    // Invariant: the section is mapped (and stays mapped while the result is used), 4-byte aligned, and `length` long.
    public static TrapTable Decode(byte* section, int length)
    {
        var r = new SectionReader(new ReadOnlySpan<byte>(section, length), ArtifactFormat.TrapsSection);
        uint n = r.U32();
        if ((ulong)length != 4 + 8UL * n) throw r.Invalid($"{length} bytes do not hold {n} entries");
        return new TrapTable(View<int>(section + 4, (int)n), View<TrapCode>(section + 4 + 4L * n, (int)n));
    }

    private static ReadOnlyMemory<T> View<T>(byte* at, int count) where T : unmanaged =>
        count == 0 ? ReadOnlyMemory<T>.Empty : new NativeMemoryManager<T>((T*)at, count).Memory;
}
