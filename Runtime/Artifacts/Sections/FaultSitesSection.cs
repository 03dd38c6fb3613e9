using Sharptime.Compiler;
using Sharptime.Vm;

namespace Sharptime.Artifacts.Sections;

/// <summary>
/// <c>.sharptime.fault_sites</c>: the loads and stores left to guard pages (see <see cref="CompiledModule.FaultSites"/>).
/// i32 offset of the <see cref="TrapCode.MemoryOutOfBounds"/> raise entry (-1 when there are no sites), u32 count N,
/// then N ascending i32 code offsets, read in place from the mapped artifact.
/// </summary>
internal static unsafe class FaultSitesSection
{
    public static byte[] Encode(CompiledModule? compiled)
    {
        var sites = compiled is null ? [] : compiled.FaultSites.Span;
        var w = new SectionWriter(8 + 4 * sites.Length);
        w.I32(compiled?.MemoryTrapEntryOffset ?? -1);
        w.U32((uint)sites.Length);
        w.Int32s(sites);
        return w.ToArray();
    }

    // Invariant: the section is mapped (and stays mapped while the result is used), 4-byte aligned, and `length` long.
    public static (ReadOnlyMemory<int> Sites, int RaiseEntry) Decode(byte* section, int length, int textLength)
    {
        var r = new SectionReader(new ReadOnlySpan<byte>(section, length), ArtifactFormat.FaultSitesSection);
        int raiseEntry = r.I32();
        uint n = r.U32();
        if ((ulong)length != 8 + 4UL * n) throw r.Invalid($"{length} bytes do not hold {n} fault sites");
        if (n > 0 && (raiseEntry < 0 || raiseEntry >= textLength)) throw r.Invalid($"the raise entry {raiseEntry} is outside the {textLength}-byte text");
        var sites = n == 0 ? ReadOnlyMemory<int>.Empty : new NativeMemoryManager<int>((int*)(section + 8), (int)n).Memory;
        return (sites, raiseEntry);
    }
}
