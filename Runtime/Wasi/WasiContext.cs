using System.Buffers.Binary;
using System.Text;

namespace Sharptime.Wasi;

/// <summary>
/// The state of one WASI program: its descriptor table (standard streams, preopened directories, files it opened),
/// arguments, environment, clocks and random source. One per store; <see cref="Dispose"/> closes every host
/// descriptor it still holds. Built from a <see cref="WasiConfig"/>; bind it to a linker with
/// <see cref="WasiLinkerExtensions.AddWasi{T}(Linker{T}, System.Func{T, WasiContext})"/>.
/// </summary>
public sealed partial class WasiContext : IDisposable
{
    private readonly List<FdEntry?> _fds = [];
    private readonly byte[][] _args;
    private readonly byte[][] _env;
    private readonly WasiClock _clock;
    private readonly WasiRandomSource _random;
    private bool _disposed;

    /// <summary>Creates the context: opens every preopened directory of <paramref name="config"/>.</summary>
    /// <exception cref="PlatformNotSupportedException">Directories are preopened on a host other than Linux x86-64.</exception>
    /// <exception cref="IOException">A preopened directory cannot be opened.</exception>
    public WasiContext(WasiConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        _args = config.Arguments.Select(NulTerminated).ToArray();
        _env = config.Environment.Select(kv => NulTerminated(kv.Key + "=" + kv.Value)).ToArray();
        _clock = config.Clock;
        _random = config.Random;
        _fds.Add(new StreamEntry(config.Stdin, readable: true, config.Inherited[0] && !Console.IsInputRedirected));
        _fds.Add(new StreamEntry(config.Stdout, readable: false, config.Inherited[1] && !Console.IsOutputRedirected));
        _fds.Add(new StreamEntry(config.Stderr, readable: false, config.Inherited[2] && !Console.IsErrorRedirected));
        if (config.Preopens.Count > 0 && !LibC.IsSupported)
            throw new PlatformNotSupportedException("WASI preopened directories are implemented for Linux x86-64 only");
        try
        {
            foreach (var p in config.Preopens)
            {
                int handle = LibC.Open(p.HostPath, LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_CLOEXEC, 0);
                if (handle < 0) throw new IOException($"cannot open preopened directory '{p.HostPath}' (errno {LibC.Errno})");
                bool readOnly = p.Permissions == WasiDirPermissions.ReadOnly;
                ulong mask = readOnly ? ~WasiRights.Mutating : ulong.MaxValue;
                _fds.Add(new OsEntry(handle, WasiFileType.Directory, WasiRights.Directory & mask, WasiRights.All & mask)
                {
                    PreopenName = Encoding.UTF8.GetBytes(p.GuestPath),
                });
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Closes every host descriptor the guest still has open. Standard streams are left to their owner.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var e in _fds) (e as OsEntry)?.Close();
        _fds.Clear();
    }

    private static byte[] NulTerminated(string s)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(s) + 1];
        Encoding.UTF8.GetBytes(s, bytes);
        return bytes;
    }

    // ---- descriptor table ----

    internal enum WasiFileType : byte
    {
        Unknown = 0, BlockDevice = 1, CharacterDevice = 2, Directory = 3, RegularFile = 4, SocketDgram = 5,
        SocketStream = 6, SymbolicLink = 7,
    }

    internal abstract class FdEntry
    {
        public WasiFileType FileType;
        public ulong RightsBase;
        public ulong RightsInheriting;
        public ushort Flags;
    }

    /// <summary>A standard stream backed by a .NET stream (or nothing).</summary>
    internal sealed class StreamEntry : FdEntry
    {
        public readonly Stream? Stream;
        public readonly bool Readable;

        public StreamEntry(Stream? stream, bool readable, bool terminal)
        {
            Stream = stream;
            Readable = readable;
            // A terminal is a character device without seek/tell, which is how wasi-libc decides to line-buffer.
            FileType = terminal ? WasiFileType.CharacterDevice : WasiFileType.Unknown;
            RightsBase = WasiRights.Stream;
        }
    }

    /// <summary>A host file or directory descriptor.</summary>
    internal sealed class OsEntry : FdEntry
    {
        public int Handle;
        public byte[]? PreopenName;
        public List<DirEntry>? DirCache;

        public OsEntry(int handle, WasiFileType type, ulong rightsBase, ulong rightsInheriting)
        {
            Handle = handle;
            FileType = type;
            RightsBase = rightsBase;
            RightsInheriting = rightsInheriting;
        }

        public void Close()
        {
            LibC.CloseQuietly(Handle);
            Handle = -1;
        }
    }

    internal readonly record struct DirEntry(ulong Inode, WasiFileType Type, byte[] Name);

    private FdEntry Get(int fd)
    {
        if (_disposed) throw new ObjectDisposedException(nameof(WasiContext));
        if ((uint)fd >= (uint)_fds.Count || _fds[fd] is not { } e) throw new WasiError(WasiErrno.BadF);
        return e;
    }

    private FdEntry Get(int fd, ulong rights)
    {
        var e = Get(fd);
        if ((e.RightsBase & rights) != rights) throw new WasiError(WasiErrno.NotCapable);
        return e;
    }

    private OsEntry GetDir(int fd, ulong rights)
    {
        var e = Get(fd);
        if (e is not OsEntry { FileType: WasiFileType.Directory } d) throw new WasiError(WasiErrno.NotDir);
        if ((e.RightsBase & rights) != rights) throw new WasiError(WasiErrno.NotCapable);
        return d;
    }

    private int Allocate(FdEntry entry)
    {
        for (int i = 3; i < _fds.Count; i++)
        {
            if (_fds[i] is null)
            {
                _fds[i] = entry;
                return i;
            }
        }
        _fds.Add(entry);
        return _fds.Count - 1;
    }

    // ---- guest memory: every pointer is checked, and a bad one becomes `fault`, never an exception of ours ----

    private static Span<byte> Slice(Span<byte> mem, int ptr, int len)
    {
        if ((ulong)(uint)ptr + (uint)len > (ulong)mem.Length) throw new WasiError(WasiErrno.Fault);
        return mem.Slice(ptr, len);
    }

    /// <summary><paramref name="count"/> (read as the guest's u32) records of <paramref name="size"/> bytes at <paramref name="ptr"/>.</summary>
    private static Span<byte> SliceArray(Span<byte> mem, int ptr, int count, int size)
    {
        ulong bytes = (ulong)(uint)count * (uint)size;
        if ((ulong)(uint)ptr + bytes > (ulong)mem.Length) throw new WasiError(WasiErrno.Fault);
        return mem.Slice(ptr, (int)bytes);
    }

    private static uint ReadU32(Span<byte> mem, int ptr) => BinaryPrimitives.ReadUInt32LittleEndian(Slice(mem, ptr, 4));
    private static ulong ReadU64(Span<byte> mem, int ptr) => BinaryPrimitives.ReadUInt64LittleEndian(Slice(mem, ptr, 8));
    private static void WriteU32(Span<byte> mem, int ptr, uint v) => BinaryPrimitives.WriteUInt32LittleEndian(Slice(mem, ptr, 4), v);
    private static void WriteU64(Span<byte> mem, int ptr, ulong v) => BinaryPrimitives.WriteUInt64LittleEndian(Slice(mem, ptr, 8), v);

    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    private static string ReadPath(Span<byte> mem, int ptr, int len)
    {
        var bytes = Slice(mem, ptr, len);
        if (bytes.IndexOf((byte)0) >= 0) throw new WasiError(WasiErrno.Inval);
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new WasiError(WasiErrno.IlSeq);
        }
    }

    /// <summary>Maps a Linux errno to its WASI value.</summary>
    internal static WasiErrno FromHost(int errno) => errno switch
    {
        1 => WasiErrno.Perm, 2 => WasiErrno.NoEnt, 4 => WasiErrno.Intr, 5 => WasiErrno.Io, 6 => WasiErrno.NxIo,
        7 => WasiErrno.TooBig, 9 => WasiErrno.BadF, 11 => WasiErrno.Again, 12 => WasiErrno.NoMem, 13 => WasiErrno.Acces,
        14 => WasiErrno.Fault, 16 => WasiErrno.Busy, 17 => WasiErrno.Exist, 18 => WasiErrno.Xdev, 19 => WasiErrno.NoDev,
        20 => WasiErrno.NotDir, 21 => WasiErrno.IsDir, 22 => WasiErrno.Inval, 23 => WasiErrno.NFile, 24 => WasiErrno.MFile,
        25 => WasiErrno.NotTy, 26 => WasiErrno.TxtBsy, 27 => WasiErrno.Fbig, 28 => WasiErrno.NoSpc, 29 => WasiErrno.SPipe,
        30 => WasiErrno.Rofs, 31 => WasiErrno.MLink, 32 => WasiErrno.Pipe, 34 => WasiErrno.Range, 36 => WasiErrno.NameTooLong,
        38 => WasiErrno.NoSys, 39 => WasiErrno.NotEmpty, 40 => WasiErrno.Loop, 75 => WasiErrno.Overflow,
        95 => WasiErrno.NotSup, 122 => WasiErrno.Dquot,
        _ => WasiErrno.Io,
    };

    private static WasiError HostError() => new(FromHost(LibC.Errno));
}

/// <summary>A WASI call's failure, carried to the binding that turns it into the returned errno.</summary>
internal sealed class WasiError(WasiErrno errno) : Exception(errno.ToString())
{
    public WasiErrno Errno { get; } = errno;
}
