using Sharptime.Wasi;
using Xunit.Abstractions;

namespace Sharptime.Tests.Wasi;

/// <summary>
/// The C programs of <c>tests/programs</c>, built for wasm32-wasi, must print the same stdout and stderr and exit
/// with the same code as the same C built natively.
/// </summary>
public sealed class ProgramTests(ITestOutputHelper log)
{
    private const string InputText = "first line\nsecond line with more words\n\nlast line without newline";

    private void AssertSameAsNative(ProgramCase c)
    {
        var wasm = WasiPrograms.RunWasm(c);
        var native = WasiPrograms.Native(c, out string source);
        log.WriteLine($"{c.Key}: compared with {source}");
        Assert.Equal(native.ToString(), wasm.ToString());
        if (WasiPrograms.HasClang && WasiPrograms.Expected(c) is { } committed)
            Assert.True(committed == native, $"tests/programs/expected/{c.Key}.* is stale: rerun the tests with SHARPTIME_UPDATE_EXPECTED=1");
    }

    private static ProgramCase Case(string program, params string[] args) => new(program, args, [], "", null);

    [Fact]
    public void HelloPrintsToStdoutAndStderrLikeNative() => AssertSameAsNative(Case("hello"));

    [Fact]
    public void ArgumentsAndEnvironmentReachTheProgramLikeNative() => AssertSameAsNative(
        Case("echo", "one", "two words", "", "ünïcödé ✓") with
        {
            Env = [("SHARPTIME_GREETING", "hello = world"), ("SHARPTIME_EMPTY", ""), ("SHARPTIME_UNICODE", "héllo ✓")],
        });

    [Fact]
    public void StdinFilterCountsWordsLikeNative() => AssertSameAsNative(Case("wc") with { Stdin = InputText + " ✓ 😀\n" + new string('x', 70000) });

    [Fact]
    public void FileCopyAndDirectoryListingInAPreopenBehaveLikeNative() => AssertSameAsNative(
        Case("files", ProgramCase.DataName) with { PrepareData = dir => File.WriteAllText(Path.Combine(dir, "input.txt"), InputText) });

    [Fact]
    public void ExitCodeFromExitReachesTheHostLikeNative() => AssertSameAsNative(Case("exitcode", "3"));

    [Fact]
    public void ExitCodeZeroFromExitLikeNative() => AssertSameAsNative(Case("exitcode", "0"));

    [Fact]
    public void ClocksAndNanosleepBehaveLikeNative() => AssertSameAsNative(Case("clocks"));

    [Fact]
    public void RandomBytesLookRandomLikeNative() => AssertSameAsNative(Case("random"));

    [Fact]
    public void LargerProgramInterpreterAndCompressorMatchesNative() => AssertSameAsNative(Case("tiny"));

    [Fact]
    public void LargerProgramScriptErrorOnStderrAndExitCodeMatchNative() => AssertSameAsNative(
        Case("tiny", "-") with { Stdin = "let a = [1, 2, 3];\nprint(\"sum\", a[0] + a[1] + a[2]);\nprint(undefined_name);\n" });

    [Fact]
    public void TrapEndsTheRunWithUnreachableAfterFlushedOutput()
    {
        var stdout = new MemoryStream();
        var config = new WasiConfig().WithArguments("trap").WithStdout(stdout);

        var e = Assert.Throws<TrapException>(() => WasiPrograms.Run("trap", config));

        Assert.Equal(TrapCode.Unreachable, e.Code);
        Assert.Equal("about to trap\n", System.Text.Encoding.UTF8.GetString(stdout.ToArray()));
    }

    [Fact]
    public void RandomGetUsesTheConfiguredSource()
    {
        var result = WasiPrograms.RunWasm(Case("random", "--hex"), config => config.WithRandom(buffer =>
        {
            for (int i = 0; i < buffer.Length; i++) buffer[i] = (byte)(i * 7);
        }));

        Assert.Equal(string.Concat(Enumerable.Range(0, 32).Select(i => ((byte)(i * 7)).ToString("x2"))) + "\n", result.Stdout);
    }

    private sealed class FakeClock : WasiClock
    {
        public long Now = 1_700_000_000_000_000_000;
        public List<long> Sleeps { get; } = [];
        public override long RealtimeNanoseconds => Now;
        public override long MonotonicNanoseconds => Now;
        public override void Sleep(long nanoseconds)
        {
            Sleeps.Add(nanoseconds);
            Now += nanoseconds;
        }
    }

    [Fact]
    public void NanosleepWaitsOnTheConfiguredClock()
    {
        var clock = new FakeClock();

        var result = WasiPrograms.RunWasm(Case("clocks"), config => config.WithClock(clock));

        Assert.Equal([50_000_000L], clock.Sleeps);
        Assert.Contains("slept at least 50ms: yes\n", result.Stdout);
    }
}
