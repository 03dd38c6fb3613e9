using System.Buffers.Binary;
using R = Sharptime.Wasi.WasiRights;

namespace Sharptime.Wasi;

public sealed unsafe partial class WasiContext
{
    private const ushort FdFlagAppend = 1, FdFlagDsync = 2, FdFlagNonblock = 4, FdFlagRsync = 8, FdFlagSync = 16;
    private const int OflagCreat = 1, OflagDirectory = 2, OflagExcl = 4, OflagTrunc = 8;
    private const int LookupSymlinkFollow = 1;

    // ---- reading and writing ----

    internal int FdRead(Span<byte> mem, int fd, int iovs, int iovsLen, int nreadPtr)
    {
        var e = Get(fd, R.FdRead);
        if (e is StreamEntry { Readable: false }) throw new WasiError(WasiErrno.BadF);
        Slice(mem, nreadPtr, 4);
        var list = SliceArray(mem, iovs, iovsLen, 8);
        long total = 0;
        for (int i = 0; i < list.Length / 8; i++)
        {
            var buf = Slice(mem, (int)ReadU32(list, i * 8), (int)ReadU32(list, i * 8 + 4));
            int n = ReadInto(e, buf, -1);
            total += n;
            if (n < buf.Length) break;
        }
        WriteU32(mem, nreadPtr, (uint)total);
        return 0;
    }

    internal int FdPread(Span<byte> mem, int fd, int iovs, int iovsLen, long offset, int nreadPtr)
    {
        if (Get(fd) is StreamEntry) throw new WasiError(WasiErrno.SPipe);
        var e = Get(fd, R.FdRead | R.FdSeek);
        if (offset < 0) throw new WasiError(WasiErrno.Inval);
        Slice(mem, nreadPtr, 4);
        var list = SliceArray(mem, iovs, iovsLen, 8);
        long total = 0;
        for (int i = 0; i < list.Length / 8; i++)
        {
            var buf = Slice(mem, (int)ReadU32(list, i * 8), (int)ReadU32(list, i * 8 + 4));
            int n = ReadInto(e, buf, offset + total);
            total += n;
            if (n < buf.Length) break;
        }
        WriteU32(mem, nreadPtr, (uint)total);
        return 0;
    }

    private static int ReadInto(FdEntry e, Span<byte> buf, long offset)
    {
        if (e is StreamEntry s)
        {
            if (!s.Readable) throw new WasiError(WasiErrno.BadF);
            return s.Stream is null || buf.Length == 0 ? 0 : s.Stream.Read(buf);
        }
        var os = (OsEntry)e;
        if (os.FileType == WasiFileType.Directory) throw new WasiError(WasiErrno.IsDir);
        fixed (byte* p = buf)
        {
            while (true)
            {
                nint n = offset < 0 ? LibC.Read(os.Handle, p, buf.Length) : LibC.PRead(os.Handle, p, buf.Length, offset);
                if (n >= 0) return (int)n;
                if (LibC.Errno != LibC.EINTR) throw HostError();
            }
        }
    }

    internal int FdWrite(Span<byte> mem, int fd, int iovs, int iovsLen, int nwrittenPtr)
    {
        var e = Get(fd, R.FdWrite);
        if (e is StreamEntry { Readable: true }) throw new WasiError(WasiErrno.BadF);
        Slice(mem, nwrittenPtr, 4);
        var list = SliceArray(mem, iovs, iovsLen, 8);
        long total = 0;
        for (int i = 0; i < list.Length / 8; i++)
        {
            var buf = Slice(mem, (int)ReadU32(list, i * 8), (int)ReadU32(list, i * 8 + 4));
            int n = WriteFrom(e, buf, -1);
            total += n;
            if (n < buf.Length) break;
        }
        WriteU32(mem, nwrittenPtr, (uint)total);
        return 0;
    }

    internal int FdPwrite(Span<byte> mem, int fd, int iovs, int iovsLen, long offset, int nwrittenPtr)
    {
        if (Get(fd) is StreamEntry) throw new WasiError(WasiErrno.SPipe);
        var e = Get(fd, R.FdWrite | R.FdSeek);
        if (offset < 0) throw new WasiError(WasiErrno.Inval);
        Slice(mem, nwrittenPtr, 4);
        var list = SliceArray(mem, iovs, iovsLen, 8);
        long total = 0;
        for (int i = 0; i < list.Length / 8; i++)
        {
            var buf = Slice(mem, (int)ReadU32(list, i * 8), (int)ReadU32(list, i * 8 + 4));
            int n = WriteFrom(e, buf, offset + total);
            total += n;
            if (n < buf.Length) break;
        }
        WriteU32(mem, nwrittenPtr, (uint)total);
        return 0;
    }

    private static int WriteFrom(FdEntry e, ReadOnlySpan<byte> buf, long offset)
    {
        if (e is StreamEntry s)
        {
            if (s.Readable) throw new WasiError(WasiErrno.BadF);
            s.Stream?.Write(buf);
            return buf.Length;
        }
        var os = (OsEntry)e;
        if (os.FileType == WasiFileType.Directory) throw new WasiError(WasiErrno.IsDir);
        fixed (byte* p = buf)
        {
            while (true)
            {
                nint n = offset < 0 ? LibC.Write(os.Handle, p, buf.Length) : LibC.PWrite(os.Handle, p, buf.Length, offset);
                if (n >= 0) return (int)n;
                if (LibC.Errno != LibC.EINTR) throw HostError();
            }
        }
    }

    internal int FdSeek(Span<byte> mem, int fd, long offset, int whence, int newOffsetPtr)
    {
        if (Get(fd) is not OsEntry os) throw new WasiError(WasiErrno.SPipe);
        Get(fd, offset == 0 && whence == 1 ? R.FdTell : R.FdSeek);
        if (whence is < 0 or > 2) throw new WasiError(WasiErrno.Inval);
        Slice(mem, newOffsetPtr, 8);
        long pos = LibC.LSeek(os.Handle, offset, whence);
        if (pos < 0) throw HostError();
        WriteU64(mem, newOffsetPtr, (ulong)pos);
        return 0;
    }

    internal int FdTell(Span<byte> mem, int fd, int offsetPtr) => FdSeek(mem, fd, 0, 1, offsetPtr);

    // ---- descriptor management ----

    internal int FdClose(int fd)
    {
        var e = Get(fd);
        (e as OsEntry)?.Close();
        _fds[fd] = null;
        return 0;
    }

    internal int FdRenumber(int from, int to)
    {
        var e = Get(from);
        var old = Get(to);
        if (from == to) return 0;
        (old as OsEntry)?.Close();
        _fds[to] = e;
        _fds[from] = null;
        return 0;
    }

    internal int FdSync(int fd, bool dataOnly)
    {
        var e = Get(fd, dataOnly ? R.FdDatasync : R.FdSync);
        if (e is not OsEntry os) throw new WasiError(WasiErrno.Inval);
        if ((dataOnly ? LibC.FDataSync(os.Handle) : LibC.FSync(os.Handle)) != 0) throw HostError();
        return 0;
    }

    internal int FdAdvise(int fd, long offset, long length, int advice)
    {
        var e = Get(fd, R.FdAdvise);
        if (advice is < 0 or > 5 || offset < 0 || length < 0) throw new WasiError(WasiErrno.Inval);
        if (e is not OsEntry os) throw new WasiError(WasiErrno.SPipe);
        if (os.FileType == WasiFileType.Directory) throw new WasiError(WasiErrno.BadF);
        // WASI numbers "sequential" and "random" the other way round from Linux.
        int posix = advice switch { 0 => 0, 1 => 2, 2 => 1, 3 => 3, 4 => 4, _ => 5 };
        int rc = LibC.PosixFAdvise(os.Handle, offset, length, posix);
        if (rc != 0) throw new WasiError(FromHost(rc));
        return 0;
    }

    internal int FdAllocate(int fd, long offset, long length)
    {
        var e = Get(fd, R.FdAllocate);
        if (offset < 0 || length <= 0) throw new WasiError(WasiErrno.Inval);
        if (e is not OsEntry os) throw new WasiError(WasiErrno.SPipe);
        if (os.FileType == WasiFileType.Directory) throw new WasiError(WasiErrno.BadF);
        int rc = LibC.PosixFAllocate(os.Handle, offset, length);
        if (rc != 0) throw new WasiError(FromHost(rc));
        return 0;
    }

    internal int FdFdstatGet(Span<byte> mem, int fd, int bufPtr)
    {
        var e = Get(fd);
        var buf = Slice(mem, bufPtr, 24);
        buf.Clear();
        buf[0] = (byte)e.FileType;
        BinaryPrimitives.WriteUInt16LittleEndian(buf[2..], e.Flags);
        BinaryPrimitives.WriteUInt64LittleEndian(buf[8..], e.RightsBase);
        BinaryPrimitives.WriteUInt64LittleEndian(buf[16..], e.RightsInheriting);
        return 0;
    }

    internal int FdFdstatSetFlags(int fd, int flags)
    {
        var e = Get(fd, R.FdFdstatSetFlags);
        if ((flags & ~0x1F) != 0) throw new WasiError(WasiErrno.Inval);
        // Linux cannot change the synchronisation flags of an open file.
        if ((flags & (FdFlagDsync | FdFlagRsync | FdFlagSync)) != (e.Flags & (FdFlagDsync | FdFlagRsync | FdFlagSync)))
            throw new WasiError(WasiErrno.NotSup);
        if (e is OsEntry os)
        {
            int current = LibC.Fcntl(os.Handle, LibC.F_GETFL, 0);
            if (current < 0) throw HostError();
            int next = current & ~(LibC.O_APPEND | LibC.O_NONBLOCK);
            if ((flags & FdFlagAppend) != 0) next |= LibC.O_APPEND;
            if ((flags & FdFlagNonblock) != 0) next |= LibC.O_NONBLOCK;
            if (LibC.Fcntl(os.Handle, LibC.F_SETFL, next) < 0) throw HostError();
        }
        e.Flags = (ushort)flags;
        return 0;
    }

    internal int FdFdstatSetRights(int fd, long rightsBase, long rightsInheriting)
    {
        var e = Get(fd);
        ulong b = (ulong)rightsBase, i = (ulong)rightsInheriting;
        // Rights can only be dropped, never gained.
        if ((b & ~e.RightsBase) != 0 || (i & ~e.RightsInheriting) != 0) throw new WasiError(WasiErrno.NotCapable);
        e.RightsBase = b;
        e.RightsInheriting = i;
        return 0;
    }

    internal int FdPrestatGet(Span<byte> mem, int fd, int bufPtr)
    {
        if (Get(fd) is not OsEntry { PreopenName: { } name }) throw new WasiError(WasiErrno.BadF);
        var buf = Slice(mem, bufPtr, 8);
        buf.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(buf[4..], (uint)name.Length);
        return 0;
    }

    internal int FdPrestatDirName(Span<byte> mem, int fd, int pathPtr, int pathLen)
    {
        if (Get(fd) is not OsEntry { PreopenName: { } name }) throw new WasiError(WasiErrno.BadF);
        if ((uint)pathLen < (uint)name.Length) throw new WasiError(WasiErrno.NameTooLong);
        name.CopyTo(Slice(mem, pathPtr, name.Length));
        return 0;
    }

    // ---- metadata ----

    internal int FdFilestatGet(Span<byte> mem, int fd, int bufPtr)
    {
        var e = Get(fd, R.FdFilestatGet);
        var buf = Slice(mem, bufPtr, 64);
        if (e is OsEntry os)
        {
            if (LibC.FStat(os.Handle, out var st) != 0) throw HostError();
            WriteFilestat(buf, st);
        }
        else
        {
            buf.Clear();
            buf[16] = (byte)e.FileType;
        }
        return 0;
    }

    internal int FdFilestatSetSize(int fd, long size)
    {
        var e = Get(fd, R.FdFilestatSetSize);
        if (size < 0) throw new WasiError(WasiErrno.Inval);
        if (e is not OsEntry os) throw new WasiError(WasiErrno.Inval);
        if (LibC.FTruncate(os.Handle, size) != 0) throw HostError();
        return 0;
    }

    internal int FdFilestatSetTimes(int fd, long atim, long mtim, int fstFlags)
    {
        var e = Get(fd, R.FdFilestatSetTimes);
        var times = stackalloc LibC.TimeSpec[2];
        Times(times, atim, mtim, fstFlags);
        if (e is not OsEntry os) throw new WasiError(WasiErrno.Inval);
        if (LibC.FUtimens(os.Handle, times) != 0) throw HostError();
        return 0;
    }

    private static void Times(LibC.TimeSpec* times, long atim, long mtim, int flags)
    {
        const int Atim = 1, AtimNow = 2, Mtim = 4, MtimNow = 8;
        if ((flags & ~0xF) != 0 || (flags & (Atim | AtimNow)) == (Atim | AtimNow) || (flags & (Mtim | MtimNow)) == (Mtim | MtimNow))
            throw new WasiError(WasiErrno.Inval);
        times[0] = Time(atim, (flags & Atim) != 0, (flags & AtimNow) != 0);
        times[1] = Time(mtim, (flags & Mtim) != 0, (flags & MtimNow) != 0);

        static LibC.TimeSpec Time(long value, bool set, bool now) =>
            now ? new LibC.TimeSpec { Nsec = LibC.UTIME_NOW }
            : set ? new LibC.TimeSpec { Sec = (long)((ulong)value / 1_000_000_000), Nsec = (long)((ulong)value % 1_000_000_000) }
            : new LibC.TimeSpec { Nsec = LibC.UTIME_OMIT };
    }

    private static void WriteFilestat(Span<byte> buf, in LibC.Stat st)
    {
        buf.Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(buf, st.Dev);
        BinaryPrimitives.WriteUInt64LittleEndian(buf[8..], st.Ino);
        buf[16] = (byte)TypeOf(st.Mode);
        BinaryPrimitives.WriteUInt64LittleEndian(buf[24..], st.Nlink);
        BinaryPrimitives.WriteUInt64LittleEndian(buf[32..], (ulong)st.Size);
        BinaryPrimitives.WriteUInt64LittleEndian(buf[40..], Nanos(st.AtimeSec, st.AtimeNsec));
        BinaryPrimitives.WriteUInt64LittleEndian(buf[48..], Nanos(st.MtimeSec, st.MtimeNsec));
        BinaryPrimitives.WriteUInt64LittleEndian(buf[56..], Nanos(st.CtimeSec, st.CtimeNsec));
    }

    private static ulong Nanos(long sec, long nsec) => (ulong)(sec * 1_000_000_000 + nsec);

    private static WasiFileType TypeOf(uint mode) => ((int)mode & LibC.S_IFMT) switch
    {
        LibC.S_IFDIR => WasiFileType.Directory,
        LibC.S_IFREG => WasiFileType.RegularFile,
        LibC.S_IFLNK => WasiFileType.SymbolicLink,
        LibC.S_IFCHR => WasiFileType.CharacterDevice,
        LibC.S_IFBLK => WasiFileType.BlockDevice,
        LibC.S_IFSOCK => WasiFileType.SocketStream,
        _ => WasiFileType.Unknown,
    };

    // ---- directories ----

    internal int FdReaddir(Span<byte> mem, int fd, int bufPtr, int bufLen, long cookie, int bufUsedPtr)
    {
        var dir = GetDir(fd, R.FdReaddir);
        var buf = Slice(mem, bufPtr, bufLen);
        Slice(mem, bufUsedPtr, 4);
        if (cookie == 0 || dir.DirCache is null) dir.DirCache = ReadDirectory(dir.Handle);
        var entries = dir.DirCache;
        int used = 0;
        Span<byte> header = stackalloc byte[24];
        for (long i = cookie; i >= 0 && i < entries.Count && used < buf.Length; i++)
        {
            var entry = entries[(int)i];
            header.Clear();
            BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)(i + 1));
            BinaryPrimitives.WriteUInt64LittleEndian(header[8..], entry.Inode);
            BinaryPrimitives.WriteUInt32LittleEndian(header[16..], (uint)entry.Name.Length);
            header[20] = (byte)entry.Type;
            // An entry that does not fit is written in part: a full buffer tells the guest to come back with a larger one.
            used += Copy(header, buf[used..]);
            used += Copy(entry.Name, buf[used..]);
        }
        WriteU32(mem, bufUsedPtr, (uint)used);
        return 0;

        static int Copy(ReadOnlySpan<byte> from, Span<byte> to)
        {
            int n = Math.Min(from.Length, to.Length);
            from[..n].CopyTo(to);
            return n;
        }
    }

    private static List<DirEntry> ReadDirectory(int handle)
    {
        var entries = new List<DirEntry>();
        if (LibC.LSeek(handle, 0, 0) < 0) throw HostError();
        var buffer = new byte[32 * 1024];
        fixed (byte* p = buffer)
        {
            while (true)
            {
                nint n = LibC.GetDents64(handle, p, buffer.Length);
                if (n < 0) throw HostError();
                if (n == 0) break;
                for (int off = 0; off < n;)
                {
                    ulong ino = BinaryPrimitives.ReadUInt64LittleEndian(buffer.AsSpan(off));
                    int reclen = BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(off + 16));
                    byte type = buffer[off + 18];
                    var nameSpan = buffer.AsSpan(off + 19, reclen - 19);
                    int end = nameSpan.IndexOf((byte)0);
                    entries.Add(new DirEntry(ino, DirentType(type), nameSpan[..(end < 0 ? nameSpan.Length : end)].ToArray()));
                    off += reclen;
                }
            }
        }
        return entries;
    }

    private static WasiFileType DirentType(byte type) => type switch
    {
        2 => WasiFileType.CharacterDevice,
        4 => WasiFileType.Directory,
        6 => WasiFileType.BlockDevice,
        8 => WasiFileType.RegularFile,
        10 => WasiFileType.SymbolicLink,
        12 => WasiFileType.SocketStream,
        _ => WasiFileType.Unknown,
    };

    // ---- paths ----

    internal int PathOpen(Span<byte> mem, int fd, int dirFlags, int pathPtr, int pathLen, int oflags, long rightsBase,
        long rightsInheriting, int fdFlags, int fdOutPtr)
    {
        var dir = GetDir(fd, R.PathOpen);
        string path = ReadPath(mem, pathPtr, pathLen);
        Slice(mem, fdOutPtr, 4);
        if ((oflags & ~0xF) != 0 || (fdFlags & ~0x1F) != 0) throw new WasiError(WasiErrno.Inval);
        bool creat = (oflags & OflagCreat) != 0, trunc = (oflags & OflagTrunc) != 0;
        if (creat && (dir.RightsBase & R.PathCreateFile) == 0) throw new WasiError(WasiErrno.NotCapable);
        if (trunc && (dir.RightsBase & R.PathFilestatSetSize) == 0) throw new WasiError(WasiErrno.NotCapable);
        ulong requested = (ulong)rightsBase;
        bool write = (requested & (R.FdWrite | R.FdAllocate | R.FdFilestatSetSize)) != 0 || trunc;
        bool read = (requested & (R.FdRead | R.FdReaddir)) != 0;
        if (write && (dir.RightsInheriting & R.FdWrite) == 0) throw new WasiError(WasiErrno.NotCapable);
        int flags = LibC.O_CLOEXEC | LibC.O_NOCTTY | LibC.O_NOFOLLOW | (write ? (read ? LibC.O_RDWR : LibC.O_WRONLY) : LibC.O_RDONLY);
        if (creat) flags |= LibC.O_CREAT;
        if ((oflags & OflagExcl) != 0) flags |= LibC.O_EXCL;
        if (trunc) flags |= LibC.O_TRUNC;
        if ((oflags & OflagDirectory) != 0) flags |= LibC.O_DIRECTORY;
        if ((fdFlags & FdFlagAppend) != 0) flags |= LibC.O_APPEND;
        if ((fdFlags & FdFlagDsync) != 0) flags |= LibC.O_DSYNC;
        if ((fdFlags & FdFlagNonblock) != 0) flags |= LibC.O_NONBLOCK;
        if ((fdFlags & (FdFlagRsync | FdFlagSync)) != 0) flags |= LibC.O_SYNC;
        // With O_EXCL the final component is never followed, as POSIX says for O_CREAT|O_EXCL.
        bool follow = (dirFlags & LookupSymlinkFollow) != 0 && (oflags & OflagExcl) == 0;
        using var r = Resolve(dir, path, follow);
        if (r.TrailingSlash) flags |= LibC.O_DIRECTORY;
        int handle = LibC.OpenAt(r.Dir, r.Name, flags, 0x1B6);
        if (handle < 0) throw HostError();
        if (LibC.FStat(handle, out var st) != 0)
        {
            var error = HostError();
            LibC.CloseQuietly(handle);
            throw error;
        }
        var type = TypeOf(st.Mode);
        ulong applicable = type == WasiFileType.Directory ? R.Directory : R.File;
        var entry = new OsEntry(handle, type, requested & dir.RightsInheriting & applicable,
            (ulong)rightsInheriting & dir.RightsInheriting) { Flags = (ushort)fdFlags };
        WriteU32(mem, fdOutPtr, (uint)Allocate(entry));
        return 0;
    }

    internal int PathCreateDirectory(Span<byte> mem, int fd, int pathPtr, int pathLen)
    {
        var dir = GetDir(fd, R.PathCreateDirectory);
        using var r = Resolve(dir, ReadPath(mem, pathPtr, pathLen), followFinal: false);
        if (LibC.MkdirAt(r.Dir, r.Name, 0x1FF) != 0) throw HostError();
        return 0;
    }

    internal int PathRemoveDirectory(Span<byte> mem, int fd, int pathPtr, int pathLen)
    {
        var dir = GetDir(fd, R.PathRemoveDirectory);
        using var r = Resolve(dir, ReadPath(mem, pathPtr, pathLen), followFinal: false);
        if (LibC.UnlinkAt(r.Dir, r.Name, LibC.AT_REMOVEDIR) != 0) throw HostError();
        return 0;
    }

    internal int PathUnlinkFile(Span<byte> mem, int fd, int pathPtr, int pathLen)
    {
        var dir = GetDir(fd, R.PathUnlinkFile);
        using var r = Resolve(dir, ReadPath(mem, pathPtr, pathLen), followFinal: false);
        if (r.TrailingSlash)
        {
            if (LibC.FStatAt(r.Dir, r.Name, out var st, LibC.AT_SYMLINK_NOFOLLOW) != 0) throw HostError();
            throw new WasiError(TypeOf(st.Mode) == WasiFileType.Directory ? WasiErrno.IsDir : WasiErrno.NotDir);
        }
        if (LibC.UnlinkAt(r.Dir, r.Name, 0) != 0) throw HostError();
        return 0;
    }

    internal int PathFilestatGet(Span<byte> mem, int fd, int lookupFlags, int pathPtr, int pathLen, int bufPtr)
    {
        var dir = GetDir(fd, R.PathFilestatGet);
        string path = ReadPath(mem, pathPtr, pathLen);
        var buf = Slice(mem, bufPtr, 64);
        using var r = Resolve(dir, path, (lookupFlags & LookupSymlinkFollow) != 0);
        if (LibC.FStatAt(r.Dir, r.Name, out var st, LibC.AT_SYMLINK_NOFOLLOW) != 0) throw HostError();
        if (r.TrailingSlash && TypeOf(st.Mode) != WasiFileType.Directory) throw new WasiError(WasiErrno.NotDir);
        WriteFilestat(buf, st);
        return 0;
    }

    internal int PathFilestatSetTimes(Span<byte> mem, int fd, int lookupFlags, int pathPtr, int pathLen, long atim, long mtim, int fstFlags)
    {
        var dir = GetDir(fd, R.PathFilestatSetTimes);
        string path = ReadPath(mem, pathPtr, pathLen);
        var times = stackalloc LibC.TimeSpec[2];
        Times(times, atim, mtim, fstFlags);
        using var r = Resolve(dir, path, (lookupFlags & LookupSymlinkFollow) != 0);
        if (LibC.UtimensAt(r.Dir, r.Name, times, LibC.AT_SYMLINK_NOFOLLOW) != 0) throw HostError();
        return 0;
    }

    internal int PathLink(Span<byte> mem, int oldFd, int oldFlags, int oldPtr, int oldLen, int newFd, int newPtr, int newLen)
    {
        var from = GetDir(oldFd, R.PathLinkSource);
        var to = GetDir(newFd, R.PathLinkTarget);
        string oldPath = ReadPath(mem, oldPtr, oldLen), newPath = ReadPath(mem, newPtr, newLen);
        using var a = Resolve(from, oldPath, (oldFlags & LookupSymlinkFollow) != 0);
        using var b = Resolve(to, newPath, followFinal: false);
        if (LibC.LinkAt(a.Dir, a.Name, b.Dir, b.Name, 0) != 0) throw HostError();
        return 0;
    }

    internal int PathRename(Span<byte> mem, int oldFd, int oldPtr, int oldLen, int newFd, int newPtr, int newLen)
    {
        var from = GetDir(oldFd, R.PathRenameSource);
        var to = GetDir(newFd, R.PathRenameTarget);
        string oldPath = ReadPath(mem, oldPtr, oldLen), newPath = ReadPath(mem, newPtr, newLen);
        using var a = Resolve(from, oldPath, followFinal: false);
        using var b = Resolve(to, newPath, followFinal: false);
        if (LibC.RenameAt(a.Dir, a.Name, b.Dir, b.Name) != 0) throw HostError();
        return 0;
    }

    internal int PathSymlink(Span<byte> mem, int targetPtr, int targetLen, int fd, int pathPtr, int pathLen)
    {
        string target = ReadPath(mem, targetPtr, targetLen);
        var dir = GetDir(fd, R.PathSymlink);
        string path = ReadPath(mem, pathPtr, pathLen);
        // Following it would be refused anyway; refusing to create it keeps host tools that walk the directory safe.
        if (target.StartsWith('/')) throw new WasiError(WasiErrno.NotCapable);
        using var r = Resolve(dir, path, followFinal: false);
        if (LibC.SymlinkAt(target, r.Dir, r.Name) != 0) throw HostError();
        return 0;
    }

    internal int PathReadlink(Span<byte> mem, int fd, int pathPtr, int pathLen, int bufPtr, int bufLen, int bufUsedPtr)
    {
        var dir = GetDir(fd, R.PathReadlink);
        string path = ReadPath(mem, pathPtr, pathLen);
        var buf = Slice(mem, bufPtr, bufLen);
        Slice(mem, bufUsedPtr, 4);
        using var r = Resolve(dir, path, followFinal: false);
        nint n;
        fixed (byte* p = buf) n = LibC.ReadLinkAt(r.Dir, r.Name, p, buf.Length);
        if (n < 0) throw HostError();
        WriteU32(mem, bufUsedPtr, (uint)n);
        return 0;
    }
}
