using Sharptime.Format;

namespace Sharptime.Validation;

/// <summary>
/// Which locals a function uses most, counted while its body is validated, so the baseline compiler can keep the
/// hottest ones in registers without another pass over the body (that pass cost about a tenth of compile time).
/// </summary>
/// <remarks>
/// Every local.get, local.set and local.tee adds a weight: 1 outside loops, x4 per enclosing loop, at most 64.
/// The ranking lists, for each register class (f32/f64, and the other non-vector types), up to
/// <see cref="MaxPerClass"/> locals used more than once, most used first with ties to the lower index; the two
/// lists are merged in that same order. A backend with fewer registers per class walks the list and skips the
/// locals of a class it has filled: the same choice as repeatedly picking the most used local of a class with room.
/// </remarks>
internal static class LocalUseRanking
{
    /// <summary>Locals ranked per class: enough for any backend's register locals.</summary>
    public const int MaxPerClass = 8;

    /// <summary>Functions with more locals are not counted during validation (the compiler counts itself).</summary>
    public const int MaxCountedLocals = 1 << 16;

    private static readonly uint[] None = [];

    public static int Weight(int loopDepth) => loopDepth >= 3 ? 64 : 1 << (2 * loopDepth);

    /// <summary>Whether <paramref name="type"/> goes to the float class (else the integer class; v128 is never ranked).</summary>
    public static bool IsFloatClass(ValType type) => type is ValType.F32 or ValType.F64;

    /// <summary>Ranks locals by their <paramref name="counts"/> (one per local of <paramref name="locals"/>).</summary>
    public static uint[] Rank(ReadOnlySpan<int> counts, LocalTypes locals)
    {
        // Per class, the best so far, sorted by count descending; in index order, a later local displaces an
        // earlier one only with a strictly higher count (ties to the lower index).
        Span<int> intCounts = stackalloc int[MaxPerClass];
        Span<uint> intLocals = stackalloc uint[MaxPerClass];
        Span<int> floatCounts = stackalloc int[MaxPerClass];
        Span<uint> floatLocals = stackalloc uint[MaxPerClass];
        int ints = 0, floats = 0;
        for (int i = 0; i < counts.Length; i++)
        {
            int count = counts[i];
            if (count <= 1) continue;
            ValType type = locals.TypeOrZero((uint)i);
            if (type == ValType.V128) continue;
            if (IsFloatClass(type)) Insert(floatCounts, floatLocals, ref floats, count, (uint)i);
            else Insert(intCounts, intLocals, ref ints, count, (uint)i);
        }
        if (ints + floats == 0) return None;

        var ranking = new uint[ints + floats];
        int a = 0, b = 0;
        for (int k = 0; k < ranking.Length; k++)
        {
            bool takeInt = b == floats || (a < ints && (intCounts[a] > floatCounts[b] ||
                (intCounts[a] == floatCounts[b] && intLocals[a] < floatLocals[b])));
            ranking[k] = takeInt ? intLocals[a++] : floatLocals[b++];
        }
        return ranking;
    }

    private static void Insert(Span<int> counts, Span<uint> locals, ref int length, int count, uint local)
    {
        int at = length;
        while (at > 0 && counts[at - 1] < count) at--;
        if (at == MaxPerClass) return;
        int last = Math.Min(length, MaxPerClass - 1);
        for (int j = last; j > at; j--)
        {
            counts[j] = counts[j - 1];
            locals[j] = locals[j - 1];
        }
        counts[at] = count;
        locals[at] = local;
        if (length < MaxPerClass) length++;
    }
}
