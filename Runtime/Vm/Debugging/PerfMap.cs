using System.Globalization;
using System.Text;

namespace Sharptime.Vm.Debugging;

/// <summary>
/// Appends symbols to <c>/tmp/perf-&lt;pid&gt;.map</c>, the file <c>perf report</c> reads to name JIT code:
/// one line <c>START SIZE name</c> per function, addresses in hex without a prefix.
/// </summary>
/// <remarks>The format has no removal; perf resolves by the latest line covering an address, so reused addresses still resolve.</remarks>
internal static class PerfMap
{
    private static readonly Lock s_lock = new();

    /// <summary>The map file of this process.</summary>
    public static string PathForThisProcess => System.IO.Path.Combine("/tmp", $"perf-{Environment.ProcessId}.map");

    /// <summary>Appends one line per symbol of the text mapped at <paramref name="text"/>.</summary>
    public static void Append(nint text, ReadOnlySpan<CodeSymbol> symbols) => Append(PathForThisProcess, text, symbols);

    /// <summary>Appends to <paramref name="path"/> instead (tests).</summary>
    internal static void Append(string path, nint text, ReadOnlySpan<CodeSymbol> symbols)
    {
        var lines = new StringBuilder();
        foreach (var s in symbols)
        {
            lines.Append(((ulong)(text + s.Offset)).ToString("x", CultureInfo.InvariantCulture)).Append(' ')
                .Append(((uint)s.Length).ToString("x", CultureInfo.InvariantCulture)).Append(' ')
                .Append(s.Name.Replace('\n', ' ')).Append('\n');
        }
        var bytes = Encoding.UTF8.GetBytes(lines.ToString());
        lock (s_lock)
        {
            using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
            file.Write(bytes);
        }
    }
}
