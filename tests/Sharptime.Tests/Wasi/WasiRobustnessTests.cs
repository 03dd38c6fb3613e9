using Sharptime.Wasi;

namespace Sharptime.Tests.Wasi;

/// <summary>Every WASI function, called with arbitrary arguments over arbitrary memory, returns an errno and nothing else.</summary>
public sealed class WasiRobustnessTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Time that never passes for real, so random poll_oneoff timeouts cannot stall the test.</summary>
    private sealed class InstantClock : WasiClock
    {
        private long _now = 1_000_000_000;
        public override long RealtimeNanoseconds => _now;
        public override long MonotonicNanoseconds => _now;
        public override void Sleep(long nanoseconds) => _now += nanoseconds;
    }

    private static readonly long[] Interesting = [0, 1, 2, 3, 4, 8, 24, 100, 1024, 65528, 65535, 65536, -1, -8, int.MaxValue, int.MinValue];

    [Fact]
    public void ArbitraryArgumentsNeverThrowAnythingButAnErrno()
    {
        Directory.CreateDirectory(Path.Combine(_dir.Path, "sub"));
        File.WriteAllText(Path.Combine(_dir.Path, "file.txt"), "content");
        using var h = new WasiHarness(new WasiConfig().WithArguments("fuzz").WithEnvironment("A", "b")
            .WithStdin(new MemoryStream([1, 2, 3])).WithStdout(Stream.Null).WithClock(new InstantClock())
            .PreopenDirectory(_dir.Path, "/root"));
        var random = new Random(1234);
        var memory = h.Memory.GetSpan();
        var names = h.Instance.Exports.Where(e => e.Kind == ExternalKind.Function && e.Name != "proc_exit").Select(e => e.Name).Order().ToArray();
        var errnos = new HashSet<WasiErrno>();
        for (int round = 0; round < 4000; round++)
        {
            // Memory keeps a few valid-looking paths and iovecs among random bytes.
            if (round % 50 == 0)
            {
                random.NextBytes(memory);
                h.Put(1024, "file.txt");
                h.Put(2048, "sub/../file.txt");
            }
            string name = names[random.Next(names.Length)];
            var func = h.Instance.GetFunction(name)!;
            var args = new long[func.Type.Parameters.Count];
            for (int i = 0; i < args.Length; i++)
                args[i] = random.Next(3) == 0 ? random.Next() : Interesting[random.Next(Interesting.Length)];

            var errno = h.Call(name, args);

            Assert.True(Enum.IsDefined(errno), $"{name}({string.Join(", ", args)}) returned {(int)errno}");
            errnos.Add(errno);
        }
        Assert.Contains(WasiErrno.Fault, errnos);
        Assert.Contains(WasiErrno.BadF, errnos);
        Assert.Contains(WasiErrno.Success, errnos);
    }
}

/// <summary>fd_write, the hottest WASI call, allocates nothing per call.</summary>
public sealed class WasiAllocationTests
{
    [Fact]
    public void FdWriteToAStreamAllocatesNothingPerCall()
    {
        var module = Module.FromText(Embedding.Wasm.Engine, """
            (module
              (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
              (memory (export "memory") 1)
              (data (i32.const 0) "\10\00\00\00\04\00\00\00")
              (data (i32.const 16) "abcd")
              (func (export "loop") (param $n i32)
                (loop $l
                  (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 32)))
                  (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))))
            """);
        var sink = new MemoryStream(new byte[4 * 20000]);
        using var wasi = new WasiContext(new WasiConfig().WithStdout(sink));
        using var store = new Store<WasiContext>(Embedding.Wasm.Engine, wasi);
        var linker = new Linker<WasiContext>(Embedding.Wasm.Engine);
        linker.AddWasi();
        var run = linker.Instantiate(store, module).GetFunction("loop")!.Typed<int, ValueTuple>();
        run.Call(100);

        long before = GC.GetAllocatedBytesForCurrentThread();
        run.Call(10000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(4 * 10100, sink.Position);
        Assert.True(allocated < 1000, $"{allocated} bytes allocated by 10000 fd_write calls");
    }
}
