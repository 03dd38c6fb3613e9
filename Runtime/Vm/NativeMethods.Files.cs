using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Sharptime.Vm;

/// <summary>File mappings for artifacts: whole files mapped private and read-only, and memfd files to hold bytes.</summary>
internal static partial class NativeMethods
{
    /// <summary>Maps <paramref name="length"/> bytes of <paramref name="file"/> from its start, private (copy-on-write) and read-only.</summary>
    public static nint MapFilePrivate(SafeFileHandle file, nuint length)
    {
        var p = mmap(0, length, ProtRead, MapPrivate, (int)file.DangerousGetHandle(), 0);
        if (p == -1) throw new IOException($"mmap of a {length}-byte file failed (errno {Marshal.GetLastPInvokeError()})");
        return p;
    }

    /// <summary>A new anonymous in-memory file (close-on-exec), for bytes that must be mappable like a file.</summary>
    public static SafeFileHandle CreateMemoryFile(string name)
    {
        int fd = MemfdCreate(name, MfdCloexec, out int errno);
        if (fd < 0) throw new IOException($"memfd_create failed (errno {errno})");
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>Changes the protection of pages, reporting failure instead of throwing (a noexec mount refuses PROT_EXEC).</summary>
    public static bool TryProtect(nint address, nuint length, int prot) => length == 0 || mprotect(address, length, prot) == 0;
}
