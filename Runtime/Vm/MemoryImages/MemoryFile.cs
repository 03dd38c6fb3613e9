using Microsoft.Win32.SafeHandles;

namespace Sharptime.Vm.MemoryImages;

/// <summary>The anonymous in-memory file (<c>memfd_create</c>) that holds the images of a module compiled in memory.</summary>
internal static class MemoryFile
{
    /// <summary>
    /// Creates a sealed memfd of <paramref name="length"/> bytes filled by <paramref name="fill"/>, or null when the OS
    /// offers none (then instantiation simply copies).
    /// </summary>
    /// <param name="name">Shown in /proc/self/maps as <c>/memfd:name</c>.</param>
    /// <param name="length">The file's length; it reads as zeros until written.</param>
    /// <param name="fill">Writes the contents through the descriptor; returns 0 or an errno.</param>
    public static SafeFileHandle? TryCreate(string name, long length, Func<int, int> fill)
    {
        int fd = NativeMethods.MemfdCreate(name, NativeMethods.MfdCloexec | NativeMethods.MfdAllowSealing, out _);
        if (fd < 0) return null;
        if (NativeMethods.Truncate(fd, length) != 0 || fill(fd) != 0)
        {
            NativeMethods.Close(fd);
            return null;
        }
        // Sealing is a safety net (nobody can change an image behind the instances mapping it), not a requirement:
        // a kernel that refuses it still gets a correct file.
        NativeMethods.AddSeals(fd, NativeMethods.FSealShrink | NativeMethods.FSealGrow | NativeMethods.FSealWrite);
        return new SafeFileHandle(fd, ownsHandle: true);
    }
}
