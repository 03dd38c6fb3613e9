using System.Diagnostics;
using Sharptime.Tests.Embedding;
using Xunit.Abstractions;

namespace Sharptime.Tests.Interruption;

/// <summary>
/// How soon a tick stops wasm. Runs alone, after the parallel tests, because the bound is wall-clock time and this
/// machine has two cores.
/// </summary>
[Collection(TimingSensitive.Name)]
public sealed class EpochLatencyTests(ITestOutputHelper output)
{
    [Fact]
    public void InfiniteLoopStopsWithin10MillisecondsOfATickFromAnotherThread()
    {
        using var engine = new Engine(new Config { EpochInterruption = true });
        using var store = new Store<int>(engine, 0);
        using var started = new ManualResetEventSlim();
        var instance = Wasm.Instantiate(store, """
            (module
              (import "h" "started" (func $started))
              (func (export "spin") (call $started) (loop (br 0))))
            """, Func.FromDelegate(store, started.Set));
        var spin = instance.Export<ValueTuple, ValueTuple>("spin");

        // The issue asks for a bound here. Tick → trap latency is measured end to end (until the TrapException is
        // caught) five times, and the median is checked, so one descheduling on the shared machine cannot fail it.
        // One more run first, not counted: the process's first trap pays for loading the exception machinery.
        var latencies = new double[5];
        for (int run = -1; run < latencies.Length; run++)
        {
            started.Reset();
            store.SetEpochDeadline(1);
            long tickedAt = 0;
            var ticker = new Thread(() =>
            {
                started.Wait();
                Thread.Sleep(20);   // let the loop spin
                tickedAt = Stopwatch.GetTimestamp();
                engine.IncrementEpoch();
            });
            ticker.Start();
            var trap = Assert.Throws<TrapException>(() => spin.Call(default));
            long stoppedAt = Stopwatch.GetTimestamp();
            ticker.Join();
            Assert.Equal(TrapCode.Interrupt, trap.Code);
            if (run >= 0) latencies[run] = Stopwatch.GetElapsedTime(tickedAt, stoppedAt).TotalMilliseconds;
        }

        Array.Sort(latencies);
        output.WriteLine($"tick → trap latencies (ms, sorted): {string.Join(", ", latencies.Select(l => l.ToString("F3")))}");
        Assert.True(latencies[2] <= 10, $"median tick → trap latency {latencies[2]:F3} ms (all: {string.Join(", ", latencies.Select(l => l.ToString("F3")))})");
    }
}

/// <summary>Tests that check a wall-clock bound run without other tests beside them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingSensitive
{
    /// <summary>The collection name.</summary>
    public const string Name = "timing-sensitive";
}
