using System.Runtime.InteropServices;

namespace Sharptime.Vm.Signals;

/// <summary>
/// The native, lock-free view of loaded code that <see cref="FaultHandler"/> reads: code ranges sorted by start,
/// each with its sorted fault sites and the offset of its memory-trap raise entry. Writers (under a lock) build a
/// new snapshot, publish it with an atomic pointer swap, wait until no handler is reading, and only then free the
/// old snapshot (and the site arrays of removed code).
/// <code>
/// snapshot: 0 count, 8 entries[count] of 32 bytes
/// entry:    0 start, 8 end (exclusive), 16 int32* sites (code offsets, ascending), 24 int32 site count, 28 int32 raise entry offset
/// </code>
/// </summary>
internal static unsafe class FaultRegistry
{
    public const int SnapshotCount = 0, SnapshotEntries = 8;
    public const int EntryShift = 5, EntrySize = 1 << EntryShift;
    public const int EntryStart = 0, EntryEnd = 8, EntrySites = 16, EntrySiteCount = 24, EntryRaiseOffset = 28;

    private readonly record struct Range(nint Start, nint End, nint Sites, int SiteCount, int RaiseOffset);

    private static readonly Lock s_gate = new();
    private static readonly List<Range> s_ranges = [];

    /// <summary>
    /// Makes faults at <paramref name="sites"/> (offsets into the code at <paramref name="start"/>) memory traps that
    /// resume at <paramref name="start"/> + <paramref name="raiseOffset"/>. Installs the signal handler if needed.
    /// </summary>
    public static void Register(nint start, int length, ReadOnlySpan<int> sites, int raiseOffset)
    {
        if (sites.IsEmpty) return;
        FaultHandler.EnsureInstalled();
        nint copy = (nint)NativeMemory.Alloc((nuint)sites.Length, sizeof(int));
        sites.CopyTo(new Span<int>((void*)copy, sites.Length));
        lock (s_gate)
        {
            int at = 0;
            while (at < s_ranges.Count && s_ranges[at].Start < start) at++;
            s_ranges.Insert(at, new Range(start, start + length, copy, sites.Length, raiseOffset));
            Publish(0);
        }
    }

    /// <summary>Forgets the code at <paramref name="start"/> (no-op when it had no fault sites).</summary>
    public static void Unregister(nint start)
    {
        lock (s_gate)
        {
            int at = s_ranges.FindIndex(r => r.Start == start);
            if (at < 0) return;
            var removed = s_ranges[at];
            s_ranges.RemoveAt(at);
            Publish(removed.Sites);
        }
    }

    /// <summary>How many code ranges the handler currently knows (tests).</summary>
    public static int Count
    {
        get
        {
            lock (s_gate) return s_ranges.Count;
        }
    }

    private static void Publish(nint freedSites)
    {
        nint state = FaultHandler.State;
        nint next = (nint)NativeMemory.Alloc((nuint)(SnapshotEntries + s_ranges.Count * EntrySize));
        *(long*)(next + SnapshotCount) = s_ranges.Count;
        for (int i = 0; i < s_ranges.Count; i++)
        {
            var r = s_ranges[i];
            byte* e = (byte*)next + SnapshotEntries + i * EntrySize;
            *(nint*)(e + EntryStart) = r.Start;
            *(nint*)(e + EntryEnd) = r.End;
            *(nint*)(e + EntrySites) = r.Sites;
            *(int*)(e + EntrySiteCount) = r.SiteCount;
            *(int*)(e + EntryRaiseOffset) = r.RaiseOffset;
        }
        // The swap is a full fence and so is the handler's lock inc before it loads the pointer: a handler that
        // could still hold the old snapshot has already counted itself in Readers when we read it below.
        nint old = Interlocked.Exchange(ref *(nint*)(state + FaultHandler.Snapshot), next);
        var spin = new SpinWait();
        while (Volatile.Read(ref *(long*)(state + FaultHandler.Readers)) != 0) spin.SpinOnce();
        if (old != 0) NativeMemory.Free((void*)old);
        if (freedSites != 0) NativeMemory.Free((void*)freedSites);
    }
}
