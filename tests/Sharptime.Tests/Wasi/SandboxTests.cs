using Sharptime.Wasi;

namespace Sharptime.Tests.Wasi;

/// <summary>
/// Nothing outside a preopened directory is reachable: not by absolute paths, <c>..</c>, symlinks made by the host or
/// by the guest, or directories renamed while the guest works. The layout is <c>root/secret.txt</c> (outside) and
/// <c>root/pre</c> (the preopen, holding <c>inner/</c> and <c>input.txt</c>).
/// </summary>
public sealed class SandboxTests : IDisposable
{
    private readonly TempDir _root = new();
    private readonly string _pre;

    public SandboxTests()
    {
        File.WriteAllText(Path.Combine(_root.Path, "secret.txt"), "SECRET");
        _pre = _root.Sub("pre");
        Directory.CreateDirectory(Path.Combine(_pre, "inner"));
        File.WriteAllText(Path.Combine(_pre, "input.txt"), "inside");
    }

    public void Dispose() => _root.Dispose();

    private WasiHarness Harness() => new(new WasiConfig().PreopenDirectory(_pre, "/pre"));

    [Fact]
    public void AbsolutePathIsNotCapable()
    {
        using var h = Harness();
        Assert.Equal(WasiErrno.NotCapable, h.Open(Path.Combine(_root.Path, "secret.txt")).Errno);
    }

    [Fact]
    public void DotDotAboveThePreopenIsNotCapable()
    {
        using var h = Harness();
        Assert.Equal(WasiErrno.NotCapable, h.Open("../secret.txt").Errno);
        Assert.Equal(WasiErrno.NotCapable, h.Open("inner/../../secret.txt").Errno);
        Assert.Equal(WasiErrno.NotCapable, h.Open("..").Errno);
    }

    [Fact]
    public void DotDotThatStaysInsideIsAllowed()
    {
        using var h = Harness();
        Assert.Equal(WasiErrno.Success, h.Open("inner/../input.txt").Errno);
        Assert.Equal(WasiErrno.Success, h.Open("./inner/./../inner/..").Errno);
    }

    [Fact]
    public void HostSymlinkToAnAbsolutePathOutsideIsNotFollowed()
    {
        File.CreateSymbolicLink(Path.Combine(_pre, "abs"), _root.Path);
        using var h = Harness();
        Assert.Equal(WasiErrno.NotCapable, h.Open("abs/secret.txt").Errno);
    }

    [Fact]
    public void HostSymlinkWithARelativeTargetOutsideIsNotFollowed()
    {
        File.CreateSymbolicLink(Path.Combine(_pre, "inner", "up"), "../../secret.txt");
        using var h = Harness();
        Assert.Equal(WasiErrno.NotCapable, h.Open("inner/up").Errno);
    }

    [Fact]
    public void SymlinkInsideThePreopenIsFollowed()
    {
        File.CreateSymbolicLink(Path.Combine(_pre, "inner", "back"), "../input.txt");
        using var h = Harness();
        Assert.Equal(WasiErrno.Success, h.Open("inner/back").Errno);
    }

    [Fact]
    public void GuestSymlinkLeavingThePreopenIsCreatedButNotFollowed()
    {
        using var h = Harness();
        int t = h.Put(2000, "../secret.txt");
        int n = h.Put(3000, "escape");

        Assert.Equal(WasiErrno.Success, h.Call("path_symlink", 2000, t, 3, 3000, n));
        Assert.Equal(WasiErrno.NotCapable, h.Open("escape").Errno);
    }

    [Fact]
    public void GuestSymlinkToAnAbsolutePathIsNotCapable()
    {
        using var h = Harness();
        int t = h.Put(2000, _root.Path);
        int n = h.Put(3000, "abs");

        Assert.Equal(WasiErrno.NotCapable, h.Call("path_symlink", 2000, t, 3, 3000, n));
        Assert.False(File.Exists(Path.Combine(_pre, "abs")));
    }

    [Fact]
    public void GuestSymlinkChainThroughASubdirectoryIsNotFollowedOut()
    {
        using var h = Harness();
        int t = h.Put(2000, "inner/../..");
        int n = h.Put(3000, "sneaky");
        Assert.Equal(WasiErrno.Success, h.Call("path_symlink", 2000, t, 3, 3000, n));

        Assert.Equal(WasiErrno.NotCapable, h.Open("sneaky/secret.txt").Errno);
    }

    [Fact]
    public void SymlinkLoopIsLoop()
    {
        File.CreateSymbolicLink(Path.Combine(_pre, "a"), "b");
        File.CreateSymbolicLink(Path.Combine(_pre, "b"), "a");
        using var h = Harness();
        Assert.Equal(WasiErrno.Loop, h.Open("a").Errno);
    }

    [Fact]
    public void WritesOutsideThePreopenAreNotCapable()
    {
        using var h = Harness();
        int evil = h.Put(2000, "../evil");
        int input = h.Put(3000, "input.txt");
        int secret = h.Put(4000, "../secret.txt");

        Assert.Equal(WasiErrno.NotCapable, h.Call("path_create_directory", 3, 2000, evil));
        Assert.Equal(WasiErrno.NotCapable, h.Call("path_rename", 3, 3000, input, 3, 2000, evil));
        Assert.Equal(WasiErrno.NotCapable, h.Call("path_link", 3, 0, 3000, input, 3, 2000, evil));
        Assert.Equal(WasiErrno.NotCapable, h.Call("path_unlink_file", 3, 4000, secret));
        Assert.Equal(WasiErrno.NotCapable, h.Open("../evil", WasiHarness.Creat, WasiHarness.WriteRights).Errno);
        Assert.False(Directory.Exists(Path.Combine(_root.Path, "evil")));
        Assert.True(File.Exists(Path.Combine(_root.Path, "secret.txt")));
        Assert.True(File.Exists(Path.Combine(_pre, "input.txt")));
    }

    [Fact]
    public void DirectoryDescriptorMovedOutsideCannotReachItsNewParent()
    {
        using var h = Harness();
        var (errno, inner) = h.Open("inner", WasiHarness.Directory);
        Assert.Equal(WasiErrno.Success, errno);

        Directory.Move(Path.Combine(_pre, "inner"), Path.Combine(_root.Path, "inner"));

        Assert.Equal(WasiErrno.NotCapable, h.Open("../secret.txt", dirFd: inner).Errno);
    }

    [Fact]
    public void DirectoryRenamedBackAndForthDuringCallsNeverLeadsOutside()
    {
        using var h = Harness();
        string inside = Path.Combine(_pre, "inner"), outside = Path.Combine(_root.Path, "inner");
        using var stop = new CancellationTokenSource();
        var mover = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    Directory.Move(inside, outside);
                    Directory.Move(outside, inside);
                }
                catch (IOException)
                {
                }
            }
        });
        mover.Start();
        int opened = 0;
        try
        {
            // Were `..` resolved by the kernel, "inner/.." would be root/ whenever inner sits outside, and
            // root/secret.txt would open.
            for (int i = 0; i < 3000; i++)
                if (h.Open("inner/../secret.txt").Errno == WasiErrno.Success) opened++;
        }
        finally
        {
            stop.Cancel();
            mover.Join();
        }
        Assert.Equal(0, opened);
    }

    [Fact]
    public void SandboxProgramSeesEveryEscapeFail()
    {
        var c = new ProgramCase("sandbox", [ProgramCase.DataName], [], "", data =>
        {
            File.WriteAllText(Path.Combine(data, "input.txt"), "inside\n");
            File.WriteAllText(Path.Combine(Path.GetDirectoryName(data)!, "secret.txt"), "SECRET\n");
            File.CreateSymbolicLink(Path.Combine(data, "hostlink"), "/etc");
        });

        var result = WasiPrograms.RunWasm(c);

        Assert.Equal(
            """
            absolute path: failed with ENOTCAPABLE
            dot-dot escape: failed with ENOTCAPABLE
            opendir parent: ENOTCAPABLE
            host symlink to an absolute path: failed with ENOTCAPABLE
            guest symlink to an absolute path: ENOTCAPABLE
            guest symlink up: created
            through guest symlink up: failed with ENOTCAPABLE
            guest symlink sub/..: created
            through guest symlink out of sub: failed with ENOTCAPABLE
            symlink that stays inside: opened data/sub/inside
            dot-dot that stays inside: opened data/sub/../input.txt

            """, result.Stdout);
        Assert.Equal(0, result.ExitCode);
    }
}
