using Microsoft.Win32.SafeHandles;

namespace Sharptime.Vm;

/// <summary>
/// An artifact mapped whole, private and read-only, with the file kept open so memory images can be mapped from it.
/// The text pages are later made executable in place (<see cref="TryMakeExecutable"/>), so loading copies nothing.
/// </summary>
internal sealed unsafe class MappedArtifactFile : IDisposable
{
    private MappedArtifactFile(SafeFileHandle handle, long length)
    {
        Handle = handle;
        Length = length;
        if (length == 0) throw new InvalidArtifactException("the file is empty");
        if (length > int.MaxValue) throw new InvalidArtifactException($"the file is {length} bytes; artifacts are at most 2 GiB");
        try
        {
            Address = NativeMethods.MapFilePrivate(handle, (nuint)length);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>The open file (the artifact itself, or a memfd holding deserialized bytes).</summary>
    public SafeFileHandle Handle { get; }

    public nint Address { get; private set; }
    public long Length { get; }

    // Invariant: [Address, Address + Length) is mapped readable until Dispose.
    public ReadOnlySpan<byte> Span => new((void*)Address, (int)Length);

    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    public static MappedArtifactFile Open(string path)
    {
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
        try
        {
            return new MappedArtifactFile(handle, RandomAccess.GetLength(handle));
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Copies <paramref name="bytes"/> into a memfd and maps that, so bytes and files load the same way.</summary>
    public static MappedArtifactFile FromBytes(ReadOnlySpan<byte> bytes)
    {
        var handle = NativeMethods.CreateMemoryFile("sharptime-artifact");
        try
        {
            RandomAccess.Write(handle, bytes, 0);
            return new MappedArtifactFile(handle, bytes.Length);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Makes the pages covering [offset, offset + length) read-execute; false when the system refuses (noexec mount).</summary>
    public bool TryMakeExecutable(long offset, long length) =>
        NativeMethods.TryProtect(Address + (nint)offset, NativeMethods.RoundUpToPage((nuint)length), NativeMethods.ProtRead | NativeMethods.ProtExec);

    public void Dispose()
    {
        if (Address != 0) NativeMethods.Unmap(Address, (nuint)Length);
        Address = 0;
        Handle.Dispose();
    }
}
