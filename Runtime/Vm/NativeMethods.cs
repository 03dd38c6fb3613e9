using System.Runtime.InteropServices;

namespace Sharptime.Vm;

/// <summary>The few libc calls the VM needs for code and linear memory (Linux/x86-64).</summary>
internal static partial class NativeMethods
{
    public const int ProtNone = 0, ProtRead = 1, ProtWrite = 2, ProtExec = 4;
    private const int MapPrivate = 0x02, MapAnonymous = 0x20, MapNoReserve = 0x4000;

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint mmap(nint addr, nuint length, int prot, int flags, int fd, nint offset);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int munmap(nint addr, nuint length);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int mprotect(nint addr, nuint length, int prot);

    public static readonly nuint PageSize = (nuint)Environment.SystemPageSize;

    /// <summary>Maps <paramref name="length"/> bytes of zeroed anonymous memory.</summary>
    public static nint Map(nuint length, int prot)
    {
        var p = mmap(0, length, prot, MapPrivate | MapAnonymous | MapNoReserve, -1, 0);
        if (p == -1) throw new OutOfMemoryException($"mmap of {length} bytes failed (errno {Marshal.GetLastPInvokeError()})");
        return p;
    }

    public static void Unmap(nint address, nuint length)
    {
        if (address != 0) munmap(address, length);
    }

    public static void Protect(nint address, nuint length, int prot)
    {
        if (length == 0) return;
        if (mprotect(address, length, prot) != 0)
            throw new OutOfMemoryException($"mprotect of {length} bytes failed (errno {Marshal.GetLastPInvokeError()})");
    }

    public static nuint RoundUpToPage(nuint n) => (n + PageSize - 1) & ~(PageSize - 1);
}
