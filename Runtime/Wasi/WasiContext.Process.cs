using System.Buffers.Binary;

namespace Sharptime.Wasi;

public sealed partial class WasiContext
{
    // ---- arguments and environment ----

    internal int ArgsSizesGet(Span<byte> mem, int countPtr, int sizePtr) => SizesGet(mem, _args, countPtr, sizePtr);
    internal int ArgsGet(Span<byte> mem, int argvPtr, int bufPtr) => StringsGet(mem, _args, argvPtr, bufPtr);
    internal int EnvironSizesGet(Span<byte> mem, int countPtr, int sizePtr) => SizesGet(mem, _env, countPtr, sizePtr);
    internal int EnvironGet(Span<byte> mem, int environPtr, int bufPtr) => StringsGet(mem, _env, environPtr, bufPtr);

    private static int SizesGet(Span<byte> mem, byte[][] strings, int countPtr, int sizePtr)
    {
        long size = 0;
        foreach (var s in strings) size += s.Length;
        Slice(mem, countPtr, 4);
        Slice(mem, sizePtr, 4);
        WriteU32(mem, countPtr, (uint)strings.Length);
        WriteU32(mem, sizePtr, (uint)size);
        return 0;
    }

    private static int StringsGet(Span<byte> mem, byte[][] strings, int pointersPtr, int bufPtr)
    {
        SliceArray(mem, pointersPtr, strings.Length, 4);
        uint at = (uint)bufPtr;
        for (int i = 0; i < strings.Length; i++)
        {
            strings[i].CopyTo(Slice(mem, (int)at, strings[i].Length));
            WriteU32(mem, pointersPtr + i * 4, at);
            at += (uint)strings[i].Length;
        }
        return 0;
    }

    // ---- clocks and randomness ----

    private long? Now(int clockId) => clockId switch
    {
        0 => _clock.RealtimeNanoseconds,
        1 => _clock.MonotonicNanoseconds,
        2 => _clock.ProcessCpuNanoseconds,
        3 => _clock.ThreadCpuNanoseconds,
        _ => null,
    };

    internal int ClockResGet(Span<byte> mem, int clockId, int resultPtr)
    {
        if (clockId is < 0 or > 3) throw new WasiError(WasiErrno.Inval);
        WriteU64(mem, resultPtr, (ulong)_clock.ResolutionNanoseconds);
        return 0;
    }

    internal int ClockTimeGet(Span<byte> mem, int clockId, long precision, int resultPtr)
    {
        var now = Now(clockId) ?? throw new WasiError(WasiErrno.Inval);
        WriteU64(mem, resultPtr, (ulong)now);
        return 0;
    }

    internal int RandomGet(Span<byte> mem, int bufPtr, int bufLen)
    {
        _random(Slice(mem, bufPtr, bufLen));
        return 0;
    }

    internal static int SchedYield()
    {
        Thread.Yield();
        return 0;
    }

    // ---- poll_oneoff ----

    private const int SubscriptionSize = 48, EventSize = 32;

    internal int PollOneoff(Span<byte> mem, int inPtr, int outPtr, int count, int neventsPtr)
    {
        if (count == 0) throw new WasiError(WasiErrno.Inval);
        var subs = SliceArray(mem, inPtr, count, SubscriptionSize);
        var events = SliceArray(mem, outPtr, count, EventSize);
        Slice(mem, neventsPtr, 4);
        long now = _clock.MonotonicNanoseconds;
        var deadlines = new long[count];
        long earliest = long.MaxValue;
        int written = 0;
        // First the subscriptions that are ready at once: descriptors (files and standard streams never block
        // in this host) and malformed ones, which complete with an error.
        for (int i = 0; i < count; i++)
        {
            var sub = subs.Slice(i * SubscriptionSize, SubscriptionSize);
            ulong userdata = BinaryPrimitives.ReadUInt64LittleEndian(sub);
            byte tag = sub[8];
            deadlines[i] = long.MaxValue;
            if (tag == 0)
            {
                int id = (int)BinaryPrimitives.ReadUInt32LittleEndian(sub[16..]);
                ulong timeout = BinaryPrimitives.ReadUInt64LittleEndian(sub[24..]);
                bool absolute = (BinaryPrimitives.ReadUInt16LittleEndian(sub[40..]) & 1) != 0;
                if (Now(id) is not { } clockNow)
                {
                    Event(events, ref written, userdata, WasiErrno.Inval, 0, 0);
                    continue;
                }
                // Every deadline is converted to the monotonic clock, the one Sleep waits on.
                ulong left = !absolute ? timeout : timeout > (ulong)clockNow ? timeout - (ulong)clockNow : 0;
                long relative = (long)Math.Min(left, long.MaxValue / 4);
                deadlines[i] = now + relative;
                earliest = Math.Min(earliest, deadlines[i]);
            }
            else if (tag is 1 or 2)
            {
                int fd = (int)BinaryPrimitives.ReadUInt32LittleEndian(sub[16..]);
                if ((uint)fd >= (uint)_fds.Count || _fds[fd] is not { } e)
                {
                    Event(events, ref written, userdata, WasiErrno.BadF, tag, 0);
                    continue;
                }
                if ((e.RightsBase & WasiRights.PollFdReadwrite) == 0)
                {
                    Event(events, ref written, userdata, WasiErrno.NotCapable, tag, 0);
                    continue;
                }
                Event(events, ref written, userdata, WasiErrno.Success, tag, tag == 1 ? Readable(e) : 0);
            }
            else
            {
                Event(events, ref written, userdata, WasiErrno.Inval, tag, 0);
            }
        }
        if (written == 0 && earliest != long.MaxValue)
        {
            if (earliest > now) _clock.Sleep(earliest - now);
            now = Math.Max(earliest, _clock.MonotonicNanoseconds);
        }
        for (int i = 0; i < count; i++)
        {
            if (deadlines[i] <= now)
                Event(events, ref written, BinaryPrimitives.ReadUInt64LittleEndian(subs[(i * SubscriptionSize)..]), WasiErrno.Success, 0, 0);
        }
        WriteU32(mem, neventsPtr, (uint)written);
        return 0;
    }

    private static void Event(Span<byte> events, ref int written, ulong userdata, WasiErrno error, byte type, ulong bytes)
    {
        var ev = events.Slice(written++ * EventSize, EventSize);
        ev.Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(ev, userdata);
        BinaryPrimitives.WriteUInt16LittleEndian(ev[8..], (ushort)error);
        ev[10] = type;
        BinaryPrimitives.WriteUInt64LittleEndian(ev[16..], bytes);
    }

    /// <summary>Bytes left to read in a regular file; 0 (ready, amount unknown) for anything else.</summary>
    private static ulong Readable(FdEntry e)
    {
        if (e is not OsEntry { FileType: WasiFileType.RegularFile } os || LibC.FStat(os.Handle, out var st) != 0) return 0;
        long pos = LibC.LSeek(os.Handle, 0, 1);
        return pos < 0 || pos > st.Size ? 0 : (ulong)(st.Size - pos);
    }

    // ---- sockets: this host gives the guest none, so any valid descriptor is "not a socket" ----

    internal int NotASocket(int fd)
    {
        Get(fd);
        throw new WasiError(WasiErrno.NotSock);
    }
}
