using System.Runtime.InteropServices;

namespace Sharptime.Vm;

/// <summary>Page resets for pooled slots.</summary>
internal static partial class NativeMethods
{
    private const int MadvDontNeed = 4;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int madvise(nint addr, nuint length, int advice);

    /// <summary>
    /// Drops the pages of [<paramref name="address"/>, +<paramref name="length"/>): private anonymous pages read as zero
    /// again, private file pages as the file's contents; protections stay. 0, or the errno.
    /// </summary>
    public static int DiscardPages(nint address, nuint length) =>
        length == 0 || madvise(address, length, MadvDontNeed) == 0 ? 0 : Marshal.GetLastPInvokeError();
}
