using System.Text;
using Sharptime.Wasi;

namespace Sharptime.Tests.Wasi;

/// <summary>Single WASI calls with raw guest arguments: bad input gets the witx errno, never a host exception.</summary>
public sealed class WasiCallTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly MemoryStream _stdout = new();

    public void Dispose() => _dir.Dispose();

    private WasiHarness Harness(WasiDirPermissions permissions = WasiDirPermissions.ReadWrite, Action<WasiConfig>? configure = null)
    {
        var config = new WasiConfig().WithArguments("prog", "ä", "").WithEnvironment("K", "v=1").WithStdout(_stdout)
            .PreopenDirectory(_dir.Path, "/sandbox", permissions);
        configure?.Invoke(config);
        return new WasiHarness(config);
    }

    [Fact]
    public void ErrnoNumbersAreThoseOfTheWitx()
    {
        Assert.Equal(
            [0, 1, 2, 8, 20, 21, 25, 28, 44, 52, 54, 57, 58, 63, 70, 76],
            new[] { WasiErrno.Success, WasiErrno.TooBig, WasiErrno.Acces, WasiErrno.BadF, WasiErrno.Exist, WasiErrno.Fault,
                WasiErrno.IlSeq, WasiErrno.Inval, WasiErrno.NoEnt, WasiErrno.NoSys, WasiErrno.NotDir, WasiErrno.NotSock,
                WasiErrno.NotSup, WasiErrno.Perm, WasiErrno.SPipe, WasiErrno.NotCapable }.Select(e => (int)e));
    }

    [Fact]
    public void FdWriteGathersIovecsToStdout()
    {
        using var h = Harness();
        h.Put(100, "Hello, ");
        h.Put(200, "world");
        h.Memory.WriteInt32(0, 100);
        h.Memory.WriteInt32(4, 7);
        h.Memory.WriteInt32(8, 200);
        h.Memory.WriteInt32(12, 5);

        Assert.Equal(WasiErrno.Success, h.Call("fd_write", 1, 0, 2, 16));
        Assert.Equal(12, h.Memory.ReadInt32(16));
        Assert.Equal("Hello, world", Encoding.UTF8.GetString(_stdout.ToArray()));
    }

    [Fact]
    public void FdWriteWithAnIovecOutsideMemoryIsFault()
    {
        using var h = Harness();
        h.Memory.WriteInt32(0, 65530);
        h.Memory.WriteInt32(4, 100);

        Assert.Equal(WasiErrno.Fault, h.Call("fd_write", 1, 0, 1, 16));
        Assert.Empty(_stdout.ToArray());
    }

    [Fact]
    public void FdWriteWithAHugeIovecCountIsFault()
    {
        using var h = Harness();
        Assert.Equal(WasiErrno.Fault, h.Call("fd_write", 1, 0, 0x7FFFFFFF, 16));
    }

    [Fact]
    public void FdWriteWithTheResultPointerOutsideMemoryIsFault()
    {
        using var h = Harness();
        Assert.Equal(WasiErrno.Fault, h.Call("fd_write", 1, 0, 0, -4));
    }

    [Fact]
    public void FdReadOnAnUnknownDescriptorIsBadf()
    {
        using var h = Harness();
        Assert.Equal(WasiErrno.BadF, h.Call("fd_read", 99, 0, 0, 16));
        Assert.Equal(WasiErrno.BadF, h.Call("fd_read", -1, 0, 0, 16));
    }

    [Fact]
    public void FdSeekOnAStreamIsSpipe()
    {
        using var h = Harness();
        Assert.Equal(WasiErrno.SPipe, h.Call("fd_seek", 1, 0, 0, 16));
    }

    [Fact]
    public void PathOpenWithInvalidUtf8IsIlseq()
    {
        using var h = Harness();
        h.Memory.WriteByte(1024, 0xC3);
        h.Memory.WriteByte(1025, 0x28);
        Assert.Equal(WasiErrno.IlSeq, h.Call("path_open", WasiHarness.Preopen, 0, 1024, 2, 0, WasiHarness.ReadRights, 0, 0, 16));
    }

    [Fact]
    public void PathOpenWithThePathOutsideMemoryIsFault()
    {
        using var h = Harness();
        Assert.Equal(WasiErrno.Fault, h.Call("path_open", WasiHarness.Preopen, 0, 65535, 10, 0, WasiHarness.ReadRights, 0, 0, 16));
    }

    [Fact]
    public void PathOpenCreatesWritesAndReadsBackAFile()
    {
        using var h = Harness();
        var (errno, fd) = h.Open("new.txt", WasiHarness.Creat | WasiHarness.Trunc, WasiHarness.WriteRights);
        Assert.Equal(WasiErrno.Success, errno);
        h.Put(100, "data");
        h.Memory.WriteInt32(0, 100);
        h.Memory.WriteInt32(4, 4);
        Assert.Equal(WasiErrno.Success, h.Call("fd_write", fd, 0, 1, 16));
        Assert.Equal(WasiErrno.Success, h.Call("fd_close", fd));

        Assert.Equal("data", File.ReadAllText(Path.Combine(_dir.Path, "new.txt")));
        Assert.Equal(WasiErrno.BadF, h.Call("fd_close", fd));
    }

    [Fact]
    public void PathOpenWithCreateAndExclusiveOnAnExistingFileIsExist()
    {
        File.WriteAllText(Path.Combine(_dir.Path, "a.txt"), "x");
        using var h = Harness();
        Assert.Equal(WasiErrno.Exist, h.Open("a.txt", WasiHarness.Creat | WasiHarness.Excl, WasiHarness.WriteRights).Errno);
    }

    [Fact]
    public void PathOpenOfAMissingFileIsNoent()
    {
        using var h = Harness();
        Assert.Equal(WasiErrno.NoEnt, h.Open("missing.txt").Errno);
    }

    [Fact]
    public void PathOpenWithDirectoryFlagOnAFileIsNotdir()
    {
        File.WriteAllText(Path.Combine(_dir.Path, "a.txt"), "x");
        using var h = Harness();
        Assert.Equal(WasiErrno.NotDir, h.Open("a.txt", WasiHarness.Directory).Errno);
    }

    [Fact]
    public void PathOpenWithoutFollowOnASymlinkIsLoop()
    {
        File.WriteAllText(Path.Combine(_dir.Path, "a.txt"), "x");
        File.CreateSymbolicLink(Path.Combine(_dir.Path, "l"), "a.txt");
        using var h = Harness();
        Assert.Equal(WasiErrno.Loop, h.Open("l", lookup: 0).Errno);
        Assert.Equal(WasiErrno.Success, h.Open("l", lookup: 1).Errno);
    }

    [Fact]
    public void ReadOnlyPreopenRefusesToCreateFiles()
    {
        using var h = Harness(WasiDirPermissions.ReadOnly);
        Assert.Equal(WasiErrno.NotCapable, h.Open("new.txt", WasiHarness.Creat, WasiHarness.WriteRights).Errno);
        Assert.False(File.Exists(Path.Combine(_dir.Path, "new.txt")));
    }

    [Fact]
    public void ReadOnlyPreopenRefusesToOpenForWriting()
    {
        File.WriteAllText(Path.Combine(_dir.Path, "a.txt"), "keep");
        using var h = Harness(WasiDirPermissions.ReadOnly);
        Assert.Equal(WasiErrno.NotCapable, h.Open("a.txt", 0, WasiHarness.WriteRights).Errno);
        Assert.Equal(WasiErrno.NotCapable, h.Open("a.txt", WasiHarness.Trunc, WasiHarness.ReadRights).Errno);
        Assert.Equal("keep", File.ReadAllText(Path.Combine(_dir.Path, "a.txt")));
    }

    [Fact]
    public void ReadOnlyPreopenRefusesDirectoryChanges()
    {
        Directory.CreateDirectory(Path.Combine(_dir.Path, "d"));
        File.WriteAllText(Path.Combine(_dir.Path, "a.txt"), "x");
        using var h = Harness(WasiDirPermissions.ReadOnly);
        int n = h.Put(1024, "newdir");
        Assert.Equal(WasiErrno.NotCapable, h.Call("path_create_directory", WasiHarness.Preopen, 1024, n));
        n = h.Put(1024, "d");
        Assert.Equal(WasiErrno.NotCapable, h.Call("path_remove_directory", WasiHarness.Preopen, 1024, n));
        n = h.Put(1024, "a.txt");
        Assert.Equal(WasiErrno.NotCapable, h.Call("path_unlink_file", WasiHarness.Preopen, 1024, n));
        Assert.True(Directory.Exists(Path.Combine(_dir.Path, "d")));
        Assert.True(File.Exists(Path.Combine(_dir.Path, "a.txt")));
    }

    [Fact]
    public void ReadOnlyPreopenAllowsReading()
    {
        File.WriteAllText(Path.Combine(_dir.Path, "a.txt"), "abc");
        using var h = Harness(WasiDirPermissions.ReadOnly);
        var (errno, fd) = h.Open("a.txt");
        Assert.Equal(WasiErrno.Success, errno);
        h.Memory.WriteInt32(0, 100);
        h.Memory.WriteInt32(4, 10);
        Assert.Equal(WasiErrno.Success, h.Call("fd_read", fd, 0, 1, 16));
        Assert.Equal(3, h.Memory.ReadInt32(16));
        Assert.Equal("abc", h.Memory.ReadString(100, 3));
    }

    [Fact]
    public void FdWriteOnAFileOpenedForReadingIsNotCapable()
    {
        File.WriteAllText(Path.Combine(_dir.Path, "a.txt"), "abc");
        using var h = Harness();
        var (_, fd) = h.Open("a.txt");
        h.Memory.WriteInt32(0, 100);
        h.Memory.WriteInt32(4, 1);
        Assert.Equal(WasiErrno.NotCapable, h.Call("fd_write", fd, 0, 1, 16));
    }

    [Fact]
    public void PrestatNamesThePreopenAndRejectsAShortBuffer()
    {
        using var h = Harness();
        Assert.Equal(WasiErrno.Success, h.Call("fd_prestat_get", 3, 0));
        Assert.Equal(0, h.Memory.ReadByte(0));
        Assert.Equal(8, h.Memory.ReadInt32(4));
        Assert.Equal(WasiErrno.Success, h.Call("fd_prestat_dir_name", 3, 100, 8));
        Assert.Equal("/sandbox", h.Memory.ReadString(100, 8));
        Assert.Equal(WasiErrno.NameTooLong, h.Call("fd_prestat_dir_name", 3, 100, 7));
        Assert.Equal(WasiErrno.BadF, h.Call("fd_prestat_get", 4, 0));
        Assert.Equal(WasiErrno.BadF, h.Call("fd_prestat_get", 1, 0));
    }

    [Fact]
    public void FdstatReportsThePreopenAsADirectory()
    {
        using var h = Harness();
        Assert.Equal(WasiErrno.Success, h.Call("fd_fdstat_get", 3, 0));
        Assert.Equal(3, h.Memory.ReadByte(0));
    }

    [Fact]
    public void ArgsAndEnvironAreNulTerminatedUtf8()
    {
        using var h = Harness();
        Assert.Equal(WasiErrno.Success, h.Call("args_sizes_get", 0, 4));
        Assert.Equal(3, h.Memory.ReadInt32(0));
        Assert.Equal(5 + 3 + 1, h.Memory.ReadInt32(4));
        Assert.Equal(WasiErrno.Success, h.Call("args_get", 100, 200));
        Assert.Equal(200, h.Memory.ReadInt32(100));
        Assert.Equal(205, h.Memory.ReadInt32(104));
        Assert.Equal(208, h.Memory.ReadInt32(108));
        Assert.Equal("prog\0ä\0\0", h.Memory.ReadString(200, 9));
        Assert.Equal(WasiErrno.Success, h.Call("environ_get", 300, 400));
        Assert.Equal("K=v=1\0", h.Memory.ReadString(400, 6));
    }

    [Fact]
    public void ArgsGetWithTheBufferOutsideMemoryIsFault()
    {
        using var h = Harness();
        Assert.Equal(WasiErrno.Fault, h.Call("args_get", 100, 65534));
    }

    [Fact]
    public void ClockTimeGetOfAnUnknownClockIsInval()
    {
        using var h = Harness();
        Assert.Equal(WasiErrno.Inval, h.Call("clock_time_get", 4, 0, 0));
        Assert.Equal(WasiErrno.Success, h.Call("clock_time_get", 1, 0, 0));
    }

    [Fact]
    public void PollOneoffWithoutSubscriptionsIsInval()
    {
        using var h = Harness();
        Assert.Equal(WasiErrno.Inval, h.Call("poll_oneoff", 0, 1000, 0, 2000));
    }

    [Fact]
    public void PollOneoffReportsAFileReadableWithItsRemainingBytesWithoutWaitingForTheClock()
    {
        File.WriteAllText(Path.Combine(_dir.Path, "a.txt"), "12345");
        using var h = Harness();
        var (_, fd) = h.Open("a.txt", rights: WasiHarness.ReadRights | (1L << 27));
        // Subscription 0: a relative clock of an hour; subscription 1: fd_read on the file.
        h.Memory.GetSpan(0, 96).Clear();
        h.Memory.WriteInt64(0, 111);
        h.Memory.WriteByte(8, 0);
        h.Memory.WriteInt32(16, 1);
        h.Memory.WriteInt64(24, 3_600_000_000_000);
        h.Memory.WriteInt64(48, 222);
        h.Memory.WriteByte(56, 1);
        h.Memory.WriteInt32(64, fd);

        Assert.Equal(WasiErrno.Success, h.Call("poll_oneoff", 0, 1000, 2, 2000));
        Assert.Equal(1, h.Memory.ReadInt32(2000));
        Assert.Equal(222, h.Memory.ReadInt64(1000));
        Assert.Equal(0, h.Memory.ReadInt16(1008));
        Assert.Equal(1, h.Memory.ReadByte(1010));
        Assert.Equal(5, h.Memory.ReadInt64(1016));
    }

    [Fact]
    public void PollOneoffOnAnUnknownDescriptorReportsBadfInTheEvent()
    {
        using var h = Harness();
        h.Memory.GetSpan(0, 48).Clear();
        h.Memory.WriteInt64(0, 7);
        h.Memory.WriteByte(8, 2);
        h.Memory.WriteInt32(16, 77);

        Assert.Equal(WasiErrno.Success, h.Call("poll_oneoff", 0, 1000, 1, 2000));
        Assert.Equal(1, h.Memory.ReadInt32(2000));
        Assert.Equal((short)WasiErrno.BadF, h.Memory.ReadInt16(1008));
    }

    [Fact]
    public void SocketCallsOnAFileAreNotsockAndOnNothingAreBadf()
    {
        using var h = Harness();
        Assert.Equal(WasiErrno.NotSock, h.Call("sock_accept", 1, 0, 0));
        Assert.Equal(WasiErrno.NotSock, h.Call("sock_recv", 0, 0, 0, 0, 0, 4));
        Assert.Equal(WasiErrno.NotSock, h.Call("sock_send", 1, 0, 0, 0, 0));
        Assert.Equal(WasiErrno.NotSock, h.Call("sock_shutdown", 3, 3));
        Assert.Equal(WasiErrno.BadF, h.Call("sock_shutdown", 50, 3));
    }

    [Fact]
    public void ProcExitEndsTheCallWithTheCodeAndLeavesTheStoreUsable()
    {
        using var h = Harness();

        var e = Assert.Throws<WasiExitException>(() => h.Instance.GetFunction("proc_exit")!.Call(Val.FromI32(42)));

        Assert.Equal(42, e.ExitCode);
        h.Memory.WriteInt32(0, 5);
        Assert.Equal(5, h.Memory.ReadInt32(0));
        Assert.Equal(WasiErrno.Success, h.Call("sched_yield"));
    }

    [Fact]
    public void FdRenumberMovesADescriptorOverAnother()
    {
        File.WriteAllText(Path.Combine(_dir.Path, "a.txt"), "a");
        File.WriteAllText(Path.Combine(_dir.Path, "b.txt"), "b");
        using var h = Harness();
        var (_, a) = h.Open("a.txt");
        var (_, b) = h.Open("b.txt");

        Assert.Equal(WasiErrno.Success, h.Call("fd_renumber", a, b));

        h.Memory.WriteInt32(0, 100);
        h.Memory.WriteInt32(4, 1);
        Assert.Equal(WasiErrno.Success, h.Call("fd_read", b, 0, 1, 16));
        Assert.Equal("a", h.Memory.ReadString(100, 1));
        Assert.Equal(WasiErrno.BadF, h.Call("fd_read", a, 0, 1, 16));
        Assert.Equal(WasiErrno.BadF, h.Call("fd_renumber", b, 60));
    }

    [Fact]
    public void FdReaddirFillsASmallBufferCompletelySoTheGuestAsksAgain()
    {
        File.WriteAllText(Path.Combine(_dir.Path, "a-rather-long-file-name.txt"), "");
        using var h = Harness();
        Assert.Equal(WasiErrno.Success, h.Call("fd_readdir", 3, 100, 30, 0, 16));
        Assert.Equal(30, h.Memory.ReadInt32(16));
        Assert.Equal(WasiErrno.Success, h.Call("fd_readdir", 3, 100, 4000, 0, 16));
        int used = h.Memory.ReadInt32(16);
        var names = new List<string>();
        for (int at = 100; at < 100 + used;)
        {
            int len = h.Memory.ReadInt32(at + 16);
            names.Add(h.Memory.ReadString(at + 24, len));
            at += 24 + len;
        }
        Assert.Equal([".", "..", "a-rather-long-file-name.txt"], names.Order());
    }

    [Fact]
    public void FilestatSetTimesWithBothNowAndAValueIsInval()
    {
        File.WriteAllText(Path.Combine(_dir.Path, "a.txt"), "a");
        using var h = Harness();
        int n = h.Put(1024, "a.txt");
        Assert.Equal(WasiErrno.Inval, h.Call("path_filestat_set_times", 3, 0, 1024, n, 0, 0, 1 | 2));
    }

    [Fact]
    public void PathFilestatGetFollowsSymlinksOnlyWhenAsked()
    {
        File.WriteAllText(Path.Combine(_dir.Path, "a.txt"), "12345");
        File.CreateSymbolicLink(Path.Combine(_dir.Path, "l"), "a.txt");
        using var h = Harness();
        int n = h.Put(1024, "l");
        Assert.Equal(WasiErrno.Success, h.Call("path_filestat_get", 3, 0, 1024, n, 0));
        Assert.Equal(7, h.Memory.ReadByte(16));
        Assert.Equal(WasiErrno.Success, h.Call("path_filestat_get", 3, 1, 1024, n, 0));
        Assert.Equal(4, h.Memory.ReadByte(16));
        Assert.Equal(5, h.Memory.ReadInt64(32));
    }

    [Fact]
    public void ProcRaiseIsNosys()
    {
        using var h = Harness();
        Assert.Equal(WasiErrno.NoSys, h.Call("proc_raise", 6));
    }

    [Fact]
    public void FdstatSetRightsCanDropButNotGainRights()
    {
        File.WriteAllText(Path.Combine(_dir.Path, "a.txt"), "a");
        using var h = Harness();
        var (_, fd) = h.Open("a.txt");
        const long Read = 1 << 1;

        Assert.Equal(WasiErrno.Success, h.Call("fd_fdstat_set_rights", fd, Read, 0));
        Assert.Equal(WasiErrno.NotCapable, h.Call("fd_fdstat_set_rights", fd, Read | (1 << 6), 0));
        Assert.Equal(WasiErrno.NotCapable, h.Call("fd_seek", fd, 1, 0, 16));
    }

    [Fact]
    public void PwriteAndPreadUseTheOffsetAndLeaveThePositionAlone()
    {
        using var h = Harness();
        var (_, fd) = h.Open("p.bin", WasiHarness.Creat, WasiHarness.WriteRights);
        h.Put(100, "xyz");
        h.Memory.WriteInt32(0, 100);
        h.Memory.WriteInt32(4, 3);

        Assert.Equal(WasiErrno.Success, h.Call("fd_pwrite", fd, 0, 1, 5, 16));
        Assert.Equal(WasiErrno.Success, h.Call("fd_tell", fd, 24));
        Assert.Equal(0, h.Memory.ReadInt64(24));
        h.Memory.WriteInt32(0, 200);
        h.Memory.WriteInt32(4, 10);
        Assert.Equal(WasiErrno.Success, h.Call("fd_pread", fd, 0, 1, 6, 16));
        Assert.Equal(2, h.Memory.ReadInt32(16));
        Assert.Equal("yz", h.Memory.ReadString(200, 2));
        Assert.Equal(8, new FileInfo(Path.Combine(_dir.Path, "p.bin")).Length);
    }

    [Fact]
    public void AppendFlagSetLaterMakesWritesGoToTheEnd()
    {
        File.WriteAllText(Path.Combine(_dir.Path, "a.txt"), "start");
        using var h = Harness();
        var (_, fd) = h.Open("a.txt", 0, WasiHarness.WriteRights | (1 << 3));
        Assert.Equal(WasiErrno.Success, h.Call("fd_fdstat_set_flags", fd, 1));
        h.Put(100, "+end");
        h.Memory.WriteInt32(0, 100);
        h.Memory.WriteInt32(4, 4);

        Assert.Equal(WasiErrno.Success, h.Call("fd_write", fd, 0, 1, 16));
        Assert.Equal("start+end", File.ReadAllText(Path.Combine(_dir.Path, "a.txt")));
        Assert.Equal(WasiErrno.Success, h.Call("fd_fdstat_get", fd, 32));
        Assert.Equal(1, h.Memory.ReadInt16(34));
    }

    [Fact]
    public void FdWriteToStdinIsBadf()
    {
        using var h = Harness();
        Assert.Equal(WasiErrno.BadF, h.Call("fd_write", 0, 0, 0, 16));
    }

    [Fact]
    public void PathReadlinkTruncatesToTheBuffer()
    {
        File.CreateSymbolicLink(Path.Combine(_dir.Path, "l"), "some/target");
        using var h = Harness();
        int n = h.Put(1024, "l");

        Assert.Equal(WasiErrno.Success, h.Call("path_readlink", 3, 1024, n, 100, 4, 16));
        Assert.Equal(4, h.Memory.ReadInt32(16));
        Assert.Equal("some", h.Memory.ReadString(100, 4));
    }

    [Fact]
    public void RemovingANonEmptyDirectoryIsNotempty()
    {
        Directory.CreateDirectory(Path.Combine(_dir.Path, "d"));
        File.WriteAllText(Path.Combine(_dir.Path, "d", "f"), "");
        using var h = Harness();
        int n = h.Put(1024, "d");
        Assert.Equal(WasiErrno.NotEmpty, h.Call("path_remove_directory", 3, 1024, n));
    }

    [Fact]
    public void RandomGetOutsideMemoryIsFault()
    {
        using var h = Harness();
        Assert.Equal(WasiErrno.Fault, h.Call("random_get", 65500, 100));
    }

    [Fact]
    public void FilestatSetSizeAndAllocateChangeTheLength()
    {
        using var h = Harness();
        var (_, fd) = h.Open("s.bin", WasiHarness.Creat, WasiHarness.WriteRights | (1 << 8));
        Assert.Equal(WasiErrno.Success, h.Call("fd_filestat_set_size", fd, 10));
        Assert.Equal(10, new FileInfo(Path.Combine(_dir.Path, "s.bin")).Length);
        Assert.Equal(WasiErrno.Success, h.Call("fd_allocate", fd, 0, 100));
        Assert.Equal(100, new FileInfo(Path.Combine(_dir.Path, "s.bin")).Length);
        Assert.Equal(WasiErrno.Success, h.Call("fd_filestat_get", fd, 0));
        Assert.Equal(100, h.Memory.ReadInt64(32));
    }
}
