namespace Sharptime;

/// <summary>How compiled wasm code is made visible to native profilers.</summary>
public enum ProfilingStrategy
{
    /// <summary>Nothing is written for profilers.</summary>
    None,

    /// <summary>
    /// Every loaded function is appended to <c>/tmp/perf-&lt;pid&gt;.map</c> (address, size, name), so <c>perf report</c>
    /// names wasm frames. Linux only. The file is never truncated or removed by Sharptime.
    /// </summary>
    PerfMap,
}
