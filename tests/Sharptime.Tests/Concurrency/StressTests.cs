using Sharptime.Tests.Embedding;
using Xunit.Abstractions;

namespace Sharptime.Tests.Concurrency;

/// <summary>
/// One engine and one module shared by many threads, each running many store lifecycles with traps and host calls
/// mixed in; afterwards the process must hold no more mappings, descriptors or native heap than before.
/// </summary>
[Collection(ProcessWideMeasurements.Name)]
public sealed class StressTests(ITestOutputHelper output)
{
    private const int Threads = 8;
    private const int Cycles = 1000;
    /// <summary>
    /// As many as the measured run: long enough for tiered compilation to count calls and re-JIT the hot methods
    /// (it starts 100 ms after the last new method), so the CLR's own code heap settles before "before".
    /// </summary>
    private const int WarmUpCycles = Cycles;

    /// <summary>Lets the background tier-1 compiler finish what the warm-up queued before "before" is taken.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// Slack for the mapping count. The CLR keeps working during the run: tiered compilation re-JITs the test's
    /// methods into its double-mapped code heap (<c>/memfd:doublemapper</c>) and the GC commits pages of its
    /// reservations, each splitting or merging a few lines of /proc/self/maps (measured: +6). A leaked memory, table or
    /// code mapping costs at least one line per cycle, i.e. thousands over the run.
    /// </summary>
    private const int MappingSlack = 32;

    /// <summary>
    /// Slack for malloc'd bytes, a coarse check next to the exact ones: the CLR's own native allocations (JIT data,
    /// tiering) still move after the warm-up (measured: up to +240 KiB). A store's native blocks (vmctx, memory and
    /// table definitions, table elements, globals) are several hundred bytes, so leaking them for 8,000 cycles is
    /// megabytes.
    /// </summary>
    private const long MallocSlack = 512 * 1024;

    /// <summary>
    /// The native heap is judged per round of <see cref="Cycles"/>, and another round runs while it grew by more than
    /// the slack: on a busy machine the CLR's settling can pass the slack once (seen in CI: +930 KiB), but a leak grows
    /// the heap in every round.
    /// </summary>
    private const int MallocRounds = 3;

    private static readonly string Wat = $$"""
        (module
          (import "host" "add" (func $add (param i32 i32) (result i32)))
          (import "host" "fail" (func $fail (param i32)))
          (type $unary (func (param i32) (result i32)))
          (memory (export "memory") 2)
          (table 2 funcref)
          (elem (i32.const 0) $double $triple)
          (data (i32.const 0) "sharptime")
          (data (i32.const 65536) "{{new string('*', 4096)}}")
          (func $double (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
          (func $triple (param i32) (result i32) (i32.mul (local.get 0) (i32.const 3)))
          (func (export "run") (param $n i32) (result i32)
            (i32.store (i32.const 65540) (local.get $n))
            (call $add
              (i32.add (i32.load8_u (i32.const 0)) (i32.load8_u (i32.const 65536)))
              (call_indirect (type $unary) (i32.load (i32.const 65540)) (i32.and (local.get $n) (i32.const 1)))))
          (func (export "unreachable") unreachable)
          (func (export "oob") (result i32) (i32.load (i32.const 0x7ffffff0)))
          (func (export "host_fail") (param i32) (call $fail (local.get 0))))
        """;

    private sealed class HostFailure(int cycle) : Exception($"host failure in cycle {cycle}")
    {
        public int Cycle { get; } = cycle;
    }

    /// <summary>One store lifecycle; returns the store so the caller can check it becomes garbage.</summary>
    private static WeakReference RunCycle(Module module, int thread, int cycle)
    {
        var store = new Store<int>(module.Engine, thread);
        try
        {
            var add = Func.FromDelegate(store, (int a, int b) => a + b);
            var fail = Func.FromDelegate(store, (int c) => throw new HostFailure(c));
            var instance = new Instance(store, module, add, fail);
            int n = thread * 10_000 + cycle;
            switch (cycle % 7)
            {
                case 3:
                    var trap = Assert.Throws<TrapException>(() => instance.Export<ValueTuple, ValueTuple>("unreachable").Call(default));
                    Assert.Equal(TrapCode.Unreachable, trap.Code);
                    break;
                case 5:
                    var oob = Assert.Throws<TrapException>(() => instance.Export<ValueTuple, int>("oob").Call(default));
                    Assert.Equal(TrapCode.MemoryOutOfBounds, oob.Code);
                    break;
                case 6:
                    var host = Assert.Throws<HostFailure>(() => instance.Export<int, ValueTuple>("host_fail").Call(n));
                    Assert.Equal(n, host.Cycle);
                    break;
            }
            // After any trap the same instance still answers correctly.
            int expected = 's' + '*' + n * ((n & 1) == 0 ? 2 : 3);
            Assert.Equal(expected, instance.Export<int, int>("run").Call(n));
            Assert.Equal((byte)'*', instance.GetMemory("memory")!.ReadByte(65536 + 4096 - 1));
            return new WeakReference(store);
        }
        finally
        {
            store.Dispose();
        }
    }

    private void StressOneEngine(BoundsChecks mode, bool pooling = false)
    {
        var config = new Config { BoundsChecks = mode };
        // Fewer slots than cycles: every slot is taken and given back many times.
        if (pooling) config.PoolingAllocation(new PoolingAllocationConfig { TotalCoreInstances = 64, TotalMemories = 64, TotalTables = 64 });
        using var engine = new Engine(config);
        var module = Module.FromText(engine, Wat);
        var failures = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        var lastStores = new WeakReference?[Threads];
        // Workers live across all measurements, so their stacks are counted in each.
        using var barrier = new Barrier(Threads + 1);
        bool anotherRound = true;
        var threads = new Thread[Threads];
        for (int t = 0; t < Threads; t++)
        {
            int thread = t;
            threads[t] = new Thread(() =>
            {
                try
                {
                    for (int c = 0; c < WarmUpCycles; c++) RunCycle(module, thread, c);
                }
                catch (Exception e)
                {
                    failures.Enqueue(e);
                }
                barrier.SignalAndWait();   // warmed up
                while (true)
                {
                    barrier.SignalAndWait();   // "before" measured, round decided
                    if (!Volatile.Read(ref anotherRound)) break;
                    try
                    {
                        for (int c = 0; c < Cycles; c++) lastStores[thread] = RunCycle(module, thread, c);
                    }
                    catch (Exception e)
                    {
                        failures.Enqueue(e);
                    }
                    barrier.SignalAndWait();   // round done
                }
            }, 1024 * 1024) { IsBackground = true, Name = $"stress {thread}" };
            threads[t].Start();
        }
        barrier.SignalAndWait();
        Thread.Sleep(Settle);
        var before = ProcessResources.Measure();
        ProcessResources after = default, roundStart = before;
        bool storesCollected = true;
        long mallocGrowth = long.MaxValue;
        for (int round = 0; round < MallocRounds && mallocGrowth > MallocSlack && failures.IsEmpty; round++)
        {
            barrier.SignalAndWait();
            barrier.SignalAndWait();
            after = ProcessResources.Measure();
            storesCollected &= Array.TrueForAll(lastStores, w => w is { IsAlive: false });
            mallocGrowth = after.MallocBytes - roundStart.MallocBytes;
            output.WriteLine($"round {round}: malloc'd bytes grew by {mallocGrowth}");
            roundStart = after;
        }
        Volatile.Write(ref anotherRound, false);
        barrier.SignalAndWait();
        foreach (var t in threads) t.Join();

        output.WriteLine($"{mode}{(pooling ? ", pooling" : "")}: before {before}; after {after}");
        Assert.Empty(failures);
        Assert.True(storesCollected, "a disposed store is still reachable (a leaked GCHandle or registry entry)");
        Assert.InRange(after.FileDescriptors, 0, before.FileDescriptors);
        Assert.InRange(after.Mappings, 0, before.Mappings + MappingSlack);
        Assert.True(mallocGrowth <= MallocSlack, $"the native heap grew by {mallocGrowth} bytes in each of {MallocRounds} rounds");
    }

    [ProcFact]
    public void ManyStoresOnManyThreadsLeakNothingWithExplicitBoundsChecks() => StressOneEngine(BoundsChecks.Explicit);

    [ProcFact(GuardPages = true)]
    public void ManyStoresOnManyThreadsLeakNothingWithGuardPages() => StressOneEngine(BoundsChecks.GuardPages);

    [ProcFact(GuardPages = true)]
    public void ManyStoresOnManyThreadsLeakNothingWithPooling() => StressOneEngine(BoundsChecks.GuardPages, pooling: true);
}
