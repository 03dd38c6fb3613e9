using Sharptime.Format;

namespace Sharptime.Vm.MemoryImages;

/// <summary>Decides which defined memories can start from an image, and what each image holds.</summary>
/// <remarks>
/// An image writes a memory's segments before anything else happens in instantiation, while the copy path applies
/// element segments, then data segments in order, stopping at the first that traps. A failed instantiation can still be
/// observed (funcrefs already written into an imported table call into the half-built instance, see linking.wast), so
/// an image is only used when it gives the same bytes the copy path would have written: no active segment applied before
/// the memory's last active data segment may trap. Memories that fail this keep the copy path for all their segments.
/// </remarks>
internal static class MemoryImagePlanner
{
    /// <summary>Plans the images of <paramref name="info"/>'s defined memories for OS pages of <paramref name="pageSize"/> bytes.</summary>
    public static MemoryImagePlan Plan(ModuleInfo info, int pageSize)
    {
        if (pageSize <= 0 || (pageSize & (pageSize - 1)) != 0 || (ulong)pageSize > LinearMemory.PageSize)
            throw new ArgumentOutOfRangeException(nameof(pageSize), pageSize, "the page size must be a power of two no larger than a wasm page");
        var data = info.Data;
        var covered = new bool[data.Count];
        int definedMemories = info.Memories.Count - info.ImportedMemoryCount;
        if (definedMemories <= 0 || data.Count == 0 || !ElementsCannotTrap(info)) return new MemoryImagePlan([], covered);

        // Segments before the first one that may trap are applied for sure; the offsets found on the way are reused.
        var offsets = new ulong[data.Count];
        int firstTrap = data.Count;
        for (int i = 0; i < data.Count; i++)
        {
            var seg = data[i];
            if (seg.Mode != SegmentMode.Active) continue;
            if (!CannotTrap(info, seg, out offsets[i]))
            {
                firstTrap = i;
                break;
            }
        }

        var images = new List<MemoryImage>();
        var pieces = new List<MemoryImagePiece>();
        for (int m = info.ImportedMemoryCount; m < info.Memories.Count; m++)
        {
            int last = -1;
            ulong start = ulong.MaxValue, end = 0;
            for (int i = 0; i < data.Count; i++)
            {
                var seg = data[i];
                if (seg.Mode != SegmentMode.Active || seg.MemoryIndex != (uint)m) continue;
                last = i;
                if (i >= firstTrap) break;
                if (seg.DataLength == 0) continue;
                start = Math.Min(start, offsets[i]);
                end = Math.Max(end, offsets[i] + (ulong)seg.DataLength);
            }
            // No segment, one applied after a possible trap, or nothing but empty segments (nothing to map): copy path.
            if (last < 0 || last >= firstTrap || end == 0) continue;

            ulong mask = (ulong)pageSize - 1;
            start &= ~mask;
            end = (end + mask) & ~mask; // Stays inside the minimum: it is a multiple of 64 KiB, so of the page size.
            pieces.Clear();
            for (int i = 0; i <= last; i++)
            {
                var seg = data[i];
                if (seg.Mode != SegmentMode.Active || seg.MemoryIndex != (uint)m) continue;
                covered[i] = true;
                if (seg.DataLength > 0) pieces.Add(new MemoryImagePiece(offsets[i] - start, seg.DataOffset, seg.DataLength));
            }
            images.Add(new MemoryImage(m, start, end - start, info.Bytes, [.. pieces]));
        }
        return new MemoryImagePlan([.. images], covered);
    }

    /// <summary>Whether an active data segment's bounds check passes whatever the imports: constant offset, defined memory, inside its minimum.</summary>
    internal static bool CannotTrap(ModuleInfo info, DataSegment seg, out ulong offset)
    {
        offset = 0;
        if (seg.MemoryIndex < (uint)info.ImportedMemoryCount || seg.MemoryIndex >= (uint)info.Memories.Count) return false;
        if (seg.MemoryOffset is not { } expr || !ConstantOffset.TryEvaluate(info, expr, out offset)) return false;
        var limits = info.Memories[(int)seg.MemoryIndex].Limits;
        if (limits.Min > LinearMemory.MaxPages) return false;
        return offset <= limits.Min * LinearMemory.PageSize && (ulong)seg.DataLength <= limits.Min * LinearMemory.PageSize - offset;
    }

    // An imported table is at least as large as its import's minimum (the linker checks it), so that bound is safe too.
    private static bool ElementsCannotTrap(ModuleInfo info)
    {
        foreach (var seg in info.Elements)
        {
            if (seg.Mode != SegmentMode.Active) continue;
            if (seg.TableIndex >= (uint)info.Tables.Count) return false;
            if (seg.TableOffset is not { } expr || !ConstantOffset.TryEvaluate(info, expr, out ulong offset)) return false;
            ulong min = info.Tables[(int)seg.TableIndex].Limits.Min;
            if (offset > min || (ulong)seg.Count > min - offset) return false;
        }
        return true;
    }
}
