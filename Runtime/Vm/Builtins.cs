using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Sharptime.Vm;

/// <summary>
/// The libcalls compiled code reaches through <see cref="VMContextLayout.Builtins"/>, with exactly the signatures
/// documented on <see cref="Builtin"/>. They never throw: failures become a trap code (or -1 for the grow calls, and
/// <see cref="Store.LimiterThrew"/> when the store's resource limiter threw: the exception is parked in the store).
/// </summary>
internal static unsafe class Builtins
{
    /// <summary>Process-wide native table of entry points, indexed by <see cref="Builtin"/>; never freed.</summary>
    public static readonly nint Table = CreateTable();

    private static nint CreateTable()
    {
        var table = (nint*)NativeMemory.AllocZeroed((nuint)Builtin.Count, (nuint)sizeof(nint));
        table[(int)Builtin.MemoryGrow] = (nint)(delegate* unmanaged[Cdecl]<nint, uint, ulong, long>)&MemoryGrow;
        table[(int)Builtin.MemoryFill] = (nint)(delegate* unmanaged[Cdecl]<nint, uint, ulong, uint, ulong, int>)&MemoryFill;
        table[(int)Builtin.MemoryCopy] = (nint)(delegate* unmanaged[Cdecl]<nint, uint, uint, ulong, ulong, ulong, int>)&MemoryCopy;
        table[(int)Builtin.MemoryInit] = (nint)(delegate* unmanaged[Cdecl]<nint, uint, uint, ulong, uint, uint, int>)&MemoryInit;
        table[(int)Builtin.DataDrop] = (nint)(delegate* unmanaged[Cdecl]<nint, uint, void>)&DataDrop;
        table[(int)Builtin.TableGrow] = (nint)(delegate* unmanaged[Cdecl]<nint, uint, nint, ulong, long>)&TableGrow;
        table[(int)Builtin.TableFill] = (nint)(delegate* unmanaged[Cdecl]<nint, uint, ulong, nint, ulong, int>)&TableFill;
        table[(int)Builtin.TableCopy] = (nint)(delegate* unmanaged[Cdecl]<nint, uint, uint, ulong, ulong, ulong, int>)&TableCopy;
        table[(int)Builtin.TableInit] = (nint)(delegate* unmanaged[Cdecl]<nint, uint, uint, ulong, uint, uint, int>)&TableInit;
        table[(int)Builtin.ElemDrop] = (nint)(delegate* unmanaged[Cdecl]<nint, uint, void>)&ElemDrop;
        table[(int)Builtin.EpochDeadline] = (nint)(delegate* unmanaged[Cdecl]<nint, int>)&EpochDeadline;
        return (nint)table;
    }

    private const int MemoryOob = (int)TrapCode.MemoryOutOfBounds;
    private const int TableOob = (int)TrapCode.TableOutOfBounds;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Instance Owner(nint vmctx) => Instance.FromVmctx(vmctx)!;

    /// <summary>True when [start, start+length) lies within [0, size), without overflow.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool InBounds(ulong start, ulong length, ulong size) => start <= size && length <= size - start;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    internal static long MemoryGrow(nint vmctx, uint memory, ulong deltaPages)
    {
        try
        {
            var m = Owner(vmctx).Memories[memory];
            return m.Store.GrowMemory(m.Linear, deltaPages, fromWasm: true);
        }
        catch
        {
            return -1;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    internal static int MemoryFill(nint vmctx, uint memory, ulong dst, uint value, ulong length)
    {
        try
        {
            var m = Owner(vmctx).Memories[memory].Linear;
            if (!InBounds(dst, length, m.ByteLength)) return MemoryOob;
            NativeMemory.Fill((void*)(m.Base + (nint)dst), (nuint)length, (byte)value);
            return 0;
        }
        catch
        {
            return MemoryOob;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    internal static int MemoryCopy(nint vmctx, uint dstMemory, uint srcMemory, ulong dst, ulong src, ulong length)
    {
        try
        {
            var instance = Owner(vmctx);
            var d = instance.Memories[dstMemory].Linear;
            var s = instance.Memories[srcMemory].Linear;
            if (!InBounds(dst, length, d.ByteLength) || !InBounds(src, length, s.ByteLength)) return MemoryOob;
            Buffer.MemoryCopy((void*)(s.Base + (nint)src), (void*)(d.Base + (nint)dst), (long)length, (long)length);
            return 0;
        }
        catch
        {
            return MemoryOob;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    internal static int MemoryInit(nint vmctx, uint memory, uint data, ulong dst, uint src, uint length)
    {
        try
        {
            var instance = Owner(vmctx);
            var m = instance.Memories[memory].Linear;
            var bytes = instance.DataSegments[data].Span;
            if (!InBounds(src, length, (ulong)bytes.Length) || !InBounds(dst, length, m.ByteLength)) return MemoryOob;
            bytes.Slice((int)src, (int)length).CopyTo(new Span<byte>((void*)(m.Base + (nint)dst), (int)length));
            return 0;
        }
        catch
        {
            return MemoryOob;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    internal static void DataDrop(nint vmctx, uint data)
    {
        try
        {
            Owner(vmctx).DataSegments[data] = ReadOnlyMemory<byte>.Empty;
        }
        catch
        {
            // Validation guarantees the index; nothing may escape into native code.
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    internal static long TableGrow(nint vmctx, uint table, nint init, ulong delta)
    {
        try
        {
            var t = Owner(vmctx).Tables[table];
            return t.Store.GrowTable(t.Storage, delta, init, fromWasm: true);
        }
        catch
        {
            return -1;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    internal static int TableFill(nint vmctx, uint table, ulong dst, nint value, ulong length)
    {
        try
        {
            var t = Owner(vmctx).Tables[table].Storage;
            if (!InBounds(dst, length, t.Length)) return TableOob;
            t.Span.Slice((int)dst, (int)length).Fill(value);
            return 0;
        }
        catch
        {
            return TableOob;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    internal static int TableCopy(nint vmctx, uint dstTable, uint srcTable, ulong dst, ulong src, ulong length)
    {
        try
        {
            var instance = Owner(vmctx);
            var d = instance.Tables[dstTable].Storage;
            var s = instance.Tables[srcTable].Storage;
            if (!InBounds(dst, length, d.Length) || !InBounds(src, length, s.Length)) return TableOob;
            s.Span.Slice((int)src, (int)length).CopyTo(d.Span.Slice((int)dst, (int)length));
            return 0;
        }
        catch
        {
            return TableOob;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    internal static int TableInit(nint vmctx, uint table, uint elem, ulong dst, uint src, uint length)
    {
        try
        {
            var instance = Owner(vmctx);
            var t = instance.Tables[table].Storage;
            var items = instance.ElementSegments[elem];
            if (!InBounds(src, length, (ulong)items.Length) || !InBounds(dst, length, t.Length)) return TableOob;
            items.AsSpan((int)src, (int)length).CopyTo(t.Span.Slice((int)dst, (int)length));
            return 0;
        }
        catch
        {
            return TableOob;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    internal static void ElemDrop(nint vmctx, uint elem)
    {
        try
        {
            Owner(vmctx).ElementSegments[elem] = [];
        }
        catch
        {
            // Validation guarantees the index; nothing may escape into native code.
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    internal static int EpochDeadline(nint vmctx)
    {
        try
        {
            var store = Store.FromContext(*(nint*)(vmctx + VMContextLayout.StoreContext));
            return store is null ? (int)TrapCode.Interrupt : store.OnEpochDeadline();
        }
        catch
        {
            // OnEpochDeadline parks the callback's exceptions; nothing may escape into native code.
            return (int)TrapCode.Interrupt;
        }
    }
}
