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

    // ---- File-backed memory (memory initialisation images) ----

    private const int MapFixed = 0x10;
    public const uint MfdCloexec = 0x1, MfdAllowSealing = 0x2;
    public const int FAddSeals = 1033, FGetSeals = 1034;
    public const int FSealShrink = 0x2, FSealGrow = 0x4, FSealWrite = 0x8;

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int memfd_create(string name, uint flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int ftruncate(int fd, long length);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial nint pwrite(int fd, byte* buffer, nuint count, long offset);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fcntl(int fd, int command, int argument);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);

    /// <summary>Creates an anonymous memory file; the descriptor, or -1 with the errno.</summary>
    public static int MemfdCreate(string name, uint flags, out int errno)
    {
        int fd = memfd_create(name, flags);
        errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        return fd;
    }

    /// <summary>Sets a file's length; 0, or the errno.</summary>
    public static int Truncate(int fd, long length) => ftruncate(fd, length) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>Writes all of <paramref name="bytes"/> at <paramref name="offset"/>; 0, or the errno.</summary>
    public static unsafe int WriteAt(int fd, ReadOnlySpan<byte> bytes, long offset)
    {
        const int EINTR = 4;
        fixed (byte* start = bytes)
        {
            byte* p = start;
            nuint left = (nuint)bytes.Length;
            while (left > 0)
            {
                nint written = pwrite(fd, p, left, offset);
                if (written < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == EINTR) continue;
                    return errno;
                }
                if (written == 0) return 5; // EIO: a regular file that accepts nothing is broken.
                p += written;
                offset += written;
                left -= (nuint)written;
            }
        }
        return 0;
    }

    /// <summary>Adds seals to a memfd created with <see cref="MfdAllowSealing"/>; 0, or the errno.</summary>
    public static int AddSeals(int fd, int seals) => fcntl(fd, FAddSeals, seals) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>The seals of a memfd, or -1.</summary>
    public static int GetSeals(int fd) => fcntl(fd, FGetSeals, 0);

    /// <summary>Closes a descriptor that no SafeHandle owns yet.</summary>
    public static void Close(int fd) => close(fd);

    /// <summary>
    /// Replaces <paramref name="length"/> bytes at <paramref name="address"/> with a private (copy-on-write) read-write
    /// mapping of <paramref name="fd"/> from <paramref name="fileOffset"/>; 0, or the errno.
    /// </summary>
    public static int MapFilePrivateFixed(nint address, nuint length, int fd, long fileOffset)
    {
        var p = mmap(address, length, ProtRead | ProtWrite, MapPrivate | MapFixed | MapNoReserve, fd, (nint)fileOffset);
        return p == -1 ? Marshal.GetLastPInvokeError() : 0;
    }

    /// <summary>Replaces <paramref name="length"/> bytes at <paramref name="address"/> with zeroed anonymous memory.</summary>
    public static void MapAnonymousFixed(nint address, nuint length, int prot)
    {
        var p = mmap(address, length, prot, MapPrivate | MapAnonymous | MapNoReserve | MapFixed, -1, 0);
        if (p == -1) throw new OutOfMemoryException($"mmap of {length} bytes failed (errno {Marshal.GetLastPInvokeError()})");
    }
}
