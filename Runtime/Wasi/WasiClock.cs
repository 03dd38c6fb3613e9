using System.Diagnostics;

namespace Sharptime.Wasi;

/// <summary>
/// The time sources WASI clocks read and the way <c>poll_oneoff</c> waits. Override members to make a guest's view of
/// time deterministic in tests; the defaults read the host's clocks.
/// </summary>
public class WasiClock
{
    private static readonly long StartTicks = Stopwatch.GetTimestamp();

    /// <summary>The host's clocks.</summary>
    public static WasiClock System { get; } = new();

    /// <summary>Nanoseconds since the Unix epoch (<c>realtime</c>).</summary>
    public virtual long RealtimeNanoseconds => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100;

    /// <summary>Nanoseconds of a clock that never goes back (<c>monotonic</c>).</summary>
    public virtual long MonotonicNanoseconds =>
        (long)((Stopwatch.GetTimestamp() - StartTicks) * (1_000_000_000.0 / Stopwatch.Frequency));

    /// <summary>CPU time the process has used, in nanoseconds (<c>process_cputime_id</c>).</summary>
    public virtual long ProcessCpuNanoseconds => CpuClock(2) ?? Environment.CpuUsage.TotalTime.Ticks * 100;

    /// <summary>CPU time the calling thread has used, in nanoseconds (<c>thread_cputime_id</c>).</summary>
    public virtual long ThreadCpuNanoseconds => CpuClock(3) ?? ProcessCpuNanoseconds;

    /// <summary>The resolution of every clock, in nanoseconds.</summary>
    public virtual long ResolutionNanoseconds => 1;

    /// <summary>Blocks the calling thread for at least <paramref name="nanoseconds"/> of <see cref="MonotonicNanoseconds"/>.</summary>
    public virtual void Sleep(long nanoseconds)
    {
        long deadline = MonotonicNanoseconds + nanoseconds;
        for (long left = nanoseconds; left > 0; left = deadline - MonotonicNanoseconds)
        {
            // Thread.Sleep has millisecond granularity; the loop makes the wait never shorter than asked.
            Thread.Sleep(TimeSpan.FromMilliseconds(Math.Max(1, left / 1_000_000)));
        }
    }

    private static long? CpuClock(int id) =>
        LibC.IsSupported && LibC.ClockGetTime(id, out var t) == 0 ? t.Sec * 1_000_000_000 + t.Nsec : null;
}

/// <summary>Fills <paramref name="buffer"/> with random bytes for <c>random_get</c>.</summary>
public delegate void WasiRandomSource(Span<byte> buffer);
