using System.Runtime.CompilerServices;

namespace Sharptime.Format;

/// <summary>
/// The types of a function's locals (parameters first), stored as run-length groups so a body may declare
/// billions of locals without allocating per local. Small functions also get a flat table for O(1) lookup.
/// Reusable: <see cref="Reset"/> keeps the arrays.
/// </summary>
internal sealed class LocalTypes
{
    // Functions with at most this many locals are looked up directly; larger ones by binary search.
    private const int FlatLimit = 1024;

    private ulong[] _groupEnds = new ulong[8];
    private ValType[] _groupTypes = new ValType[8];
    private int _groupCount;
    private readonly ValType[] _flat = new ValType[FlatLimit];

    /// <summary>Parameters plus declared locals.</summary>
    public ulong Count { get; private set; }

    /// <summary>How many of the locals are parameters.</summary>
    public int ParameterCount { get; private set; }

    /// <summary>Number of run-length groups (consecutive locals of one type are merged).</summary>
    public int GroupCount => _groupCount;

    /// <summary>Group <paramref name="i"/>: locals from the previous group's end up to <c>End</c> (exclusive) have type <c>Type</c>.</summary>
    public (ulong End, ValType Type) GetGroup(int i) => (_groupEnds[i], _groupTypes[i]);

    /// <summary>Starts a new function whose parameters are <paramref name="parameters"/>.</summary>
    public void Reset(ReadOnlySpan<ValType> parameters)
    {
        _groupCount = 0;
        Count = 0;
        ParameterCount = parameters.Length;
        foreach (var p in parameters) Add(1, p);
    }

    /// <summary>Appends <paramref name="count"/> locals of type <paramref name="type"/>.</summary>
    public void Add(uint count, ValType type)
    {
        if (count == 0) return;
        ulong start = Count;
        Count = start + count;

        if (start < FlatLimit)
        {
            ulong end = Math.Min(Count, FlatLimit);
            _flat.AsSpan((int)start, (int)(end - start)).Fill(type);
        }

        if (_groupCount > 0 && _groupTypes[_groupCount - 1] == type)
        {
            _groupEnds[_groupCount - 1] = Count;
            return;
        }

        if (_groupCount == _groupEnds.Length)
        {
            Array.Resize(ref _groupEnds, _groupCount * 2);
            Array.Resize(ref _groupTypes, _groupCount * 2);
        }
        _groupEnds[_groupCount] = Count;
        _groupTypes[_groupCount] = type;
        _groupCount++;
    }

    /// <summary>The type of local <paramref name="index"/>, or false when there is no such local.</summary>
    /// <remarks>Inlined: the flat table answers almost every lookup; the rest go to <see cref="TryGetTypeSlow"/>.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGetType(uint index, out ValType type)
    {
        if (index < FlatLimit && index < Count)
        {
            type = _flat[index];
            return true;
        }
        return TryGetTypeSlow(index, out type);
    }

    /// <summary>The type of local <paramref name="index"/>, or 0 (not a value type) when there is no such local.</summary>
    /// <remarks>For hot callers: a plain return value instead of an out parameter stays in a register.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ValType TypeOrZero(uint index)
    {
        if (index < FlatLimit && index < Count) return _flat[index];
        return TryGetTypeSlow(index, out var type) ? type : 0;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool TryGetTypeSlow(uint index, out ValType type)
    {
        if (index >= Count)
        {
            type = default;
            return false;
        }

        // First group whose end is beyond index.
        int lo = 0, hi = _groupCount - 1;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_groupEnds[mid] > index) hi = mid;
            else lo = mid + 1;
        }
        type = _groupTypes[lo];
        return true;
    }
}
