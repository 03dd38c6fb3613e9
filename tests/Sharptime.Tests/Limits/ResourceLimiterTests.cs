using Sharptime.Tests.Embedding;

namespace Sharptime.Tests.ResourceLimits;

public sealed class ResourceLimiterTests
{
    private const int Page = 65536;

    private const string GrowableMemory = """
        (module
          (memory (export "memory") 1 4)
          (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
          (func (export "size") (result i32) (memory.size)))
        """;

    private const string GrowableTable = """
        (module
          (table (export "table") 2 funcref)
          (func (export "grow") (param i32) (result i32) (table.grow (ref.null func) (local.get 0)))
          (func (export "size") (result i32) (table.size)))
        """;

    private sealed class LimiterException(string message) : Exception(message);

    /// <summary>Records every call; refuses or throws on request.</summary>
    private sealed class RecordingLimiter : ResourceLimiter
    {
        public List<(string What, long Current, long Desired, long? Maximum)> Calls { get; } = [];
        public List<string> FailureReasons { get; } = [];
        public bool Allow { get; set; } = true;
        public bool Throw { get; set; }

        public override bool MemoryGrowing(long currentBytes, long desiredBytes, long? maximumBytes) =>
            Decide("memory", currentBytes, desiredBytes, maximumBytes);

        public override bool TableGrowing(long currentElements, long desiredElements, long? maximumElements) =>
            Decide("table", currentElements, desiredElements, maximumElements);

        public override void MemoryGrowFailed(long currentBytes, long desiredBytes, string reason)
        {
            Calls.Add(("memory failed", currentBytes, desiredBytes, null));
            FailureReasons.Add(reason);
        }

        public override void TableGrowFailed(long currentElements, long desiredElements, string reason)
        {
            Calls.Add(("table failed", currentElements, desiredElements, null));
            FailureReasons.Add(reason);
        }

        private bool Decide(string what, long current, long desired, long? maximum)
        {
            Calls.Add((what, current, desired, maximum));
            if (Throw) throw new LimiterException($"{what} growth to {desired} forbidden");
            return Allow;
        }
    }

    private static (Store<int> Store, RecordingLimiter Limiter) NewStore()
    {
        var store = new Store<int>(Wasm.Engine, 0);
        var limiter = new RecordingLimiter();
        store.SetLimiter(limiter);
        return (store, limiter);
    }

    [Fact]
    public void InstantiationAsksTheLimiterForEachMemoryAndTableFromZeroToTheMinimum()
    {
        var (store, limiter) = NewStore();
        using var _ = store;

        Wasm.Instantiate(store, "(module (memory 2 5) (table 3 funcref))");

        Assert.Equal([("memory", 0L, 2L * Page, (long?)5 * Page), ("table", 0L, 3L, (long?)null)], limiter.Calls);
    }

    [Fact]
    public void InstantiationFailsWhenTheLimiterRefusesTheInitialMemory()
    {
        var (store, limiter) = NewStore();
        using var _ = store;
        limiter.Allow = false;

        var e = Assert.Throws<ResourceLimitExceededException>(() => Wasm.Instantiate(store, "(module (memory 1))"));

        Assert.Equal(LimitedResource.MemorySize, e.Resource);
    }

    [Fact]
    public void AnExceptionOfTheLimiterDuringInstantiationPropagatesUnchanged()
    {
        var (store, limiter) = NewStore();
        using var _ = store;
        limiter.Throw = true;

        Assert.Throws<LimiterException>(() => Wasm.Instantiate(store, "(module (table 1 funcref))"));
    }

    [Fact]
    public void WasmMemoryGrowReportsCurrentDesiredAndMaximumBytes()
    {
        var (store, limiter) = NewStore();
        using var _ = store;
        var instance = Wasm.Instantiate(store, GrowableMemory);
        limiter.Calls.Clear();

        instance.Export<int, int>("grow").Call(2);

        Assert.Equal([("memory", 1L * Page, 3L * Page, (long?)4 * Page)], limiter.Calls);
    }

    [Fact]
    public void WasmMemoryGrowSeesMinusOneWhenTheLimiterRefuses()
    {
        var (store, limiter) = NewStore();
        using var _ = store;
        var instance = Wasm.Instantiate(store, GrowableMemory);
        limiter.Allow = false;

        Assert.Equal(-1, instance.Export<int, int>("grow").Call(1));
        Assert.Equal(1, instance.Export<ValueTuple, int>("size").Call(default));
    }

    [Fact]
    public void WasmTableGrowSeesMinusOneWhenTheLimiterRefuses()
    {
        var (store, limiter) = NewStore();
        using var _ = store;
        var instance = Wasm.Instantiate(store, GrowableTable);
        limiter.Allow = false;

        Assert.Equal(-1, instance.Export<int, int>("grow").Call(1));
        Assert.Equal(2, instance.Export<ValueTuple, int>("size").Call(default));
    }

    [Fact]
    public void ALimiterExceptionDuringWasmMemoryGrowReachesTheCallerWithItsOriginalType()
    {
        var (store, limiter) = NewStore();
        using var _ = store;
        var instance = Wasm.Instantiate(store, GrowableMemory);
        limiter.Throw = true;

        var e = Assert.Throws<LimiterException>(() => instance.Export<int, int>("grow").Call(1));

        Assert.Equal($"memory growth to {2 * Page} forbidden", e.Message);
    }

    [Fact]
    public void ALimiterExceptionDuringWasmTableGrowReachesTheCallerWithItsOriginalType()
    {
        var (store, limiter) = NewStore();
        using var _ = store;
        var instance = Wasm.Instantiate(store, GrowableTable);
        limiter.Throw = true;

        Assert.Throws<LimiterException>(() => instance.Export<int, int>("grow").Call(1));
    }

    [Fact]
    public void ALimiterExceptionStopsTheWasmCodeThatGrew()
    {
        var (store, limiter) = NewStore();
        using var _ = store;
        var instance = Wasm.Instantiate(store, """
            (module
              (memory 1)
              (global $after (export "after") (mut i32) (i32.const 0))
              (func (export "grow") (drop (memory.grow (i32.const 1))) (global.set $after (i32.const 1))))
            """);
        limiter.Throw = true;

        Assert.Throws<LimiterException>(() => instance.Export<ValueTuple, ValueTuple>("grow").Call(default));
        Assert.Equal(0, instance.GetGlobal("after")!.Value.AsI32());
    }

    [Fact]
    public void TheStoreStaysUsableAfterALimiterExceptionFromWasm()
    {
        var (store, limiter) = NewStore();
        using var _ = store;
        var instance = Wasm.Instantiate(store, GrowableMemory);
        limiter.Throw = true;
        Assert.Throws<LimiterException>(() => instance.Export<int, int>("grow").Call(1));
        limiter.Throw = false;

        Assert.Equal(1, instance.Export<int, int>("grow").Call(1));
        Assert.Equal(2, instance.Export<ValueTuple, int>("size").Call(default));
    }

    [Fact]
    public void ALimiterExceptionInsideNestedWasmCallsReachesTheOutermostHostCaller()
    {
        var (store, limiter) = NewStore();
        using var _ = store;
        Instance? instance = null;
        var reenter = Func.FromDelegate(store, () => instance!.Export<int, int>("grow").Call(1));
        instance = Wasm.Instantiate(store, """
            (module
              (import "h" "reenter" (func $reenter (result i32)))
              (memory 1)
              (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
              (func (export "outer") (result i32) (call $reenter)))
            """, reenter);
        limiter.Throw = true;

        Assert.Throws<LimiterException>(() => instance.Export<ValueTuple, int>("outer").Call(default));
    }

    [Fact]
    public void ALimiterExceptionFromAStartFunctionFailsInstantiationWithTheOriginalException()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        store.SetLimiter(new ThrowOnGrowthLimiter());
        var module = Module.FromText(Wasm.Engine, "(module (memory 1) (func $start (drop (memory.grow (i32.const 1)))) (start $start))");

        Assert.Throws<LimiterException>(() => new Instance(store, module));
    }

    private sealed class ThrowOnGrowthLimiter : ResourceLimiter
    {
        public override bool MemoryGrowing(long currentBytes, long desiredBytes, long? maximumBytes) =>
            currentBytes == 0 ? true : throw new LimiterException("no growth");

        public override bool TableGrowing(long currentElements, long desiredElements, long? maximumElements) => true;
    }

    [Fact]
    public void HostMemoryGrowAsksTheLimiter()
    {
        var (store, limiter) = NewStore();
        using var _ = store;
        var memory = new Memory(store, 1, 8);
        limiter.Calls.Clear();

        memory.Grow(3);

        Assert.Equal([("memory", 1L * Page, 4L * Page, (long?)8 * Page)], limiter.Calls);
    }

    [Fact]
    public void HostTableGrowAsksTheLimiter()
    {
        var (store, limiter) = NewStore();
        using var _ = store;
        var table = new Table(store, ValKind.ExternRef, 2, 10, Val.Null(ValKind.ExternRef));
        limiter.Calls.Clear();

        table.Grow(5, Val.Null(ValKind.ExternRef));

        Assert.Equal([("table", 2L, 7L, (long?)10)], limiter.Calls);
    }

    [Fact]
    public void HostMemoryGrowRefusedByTheLimiterThrowsInvalidOperation()
    {
        var (store, limiter) = NewStore();
        using var _ = store;
        var memory = new Memory(store, 1);
        limiter.Allow = false;

        Assert.Throws<InvalidOperationException>(() => memory.Grow(1));
    }

    [Fact]
    public void ALimiterExceptionDuringHostMemoryGrowPropagatesDirectly()
    {
        var (store, limiter) = NewStore();
        using var _ = store;
        var memory = new Memory(store, 1);
        limiter.Throw = true;

        Assert.Throws<LimiterException>(() => memory.Grow(1));
        Assert.Equal(1, memory.Size);
    }

    [Fact]
    public void ALimiterExceptionDuringHostTableGrowPropagatesDirectly()
    {
        var (store, limiter) = NewStore();
        using var _ = store;
        var table = new Table(store, ValKind.FuncRef, 1, null, Val.Null(ValKind.FuncRef));
        limiter.Throw = true;

        Assert.Throws<LimiterException>(() => table.Grow(1, Val.Null(ValKind.FuncRef)));
    }

    [Fact]
    public void MemoryGrowFailedIsReportedWhenTheLimiterAllowsGrowthBeyondTheMaximum()
    {
        var (store, limiter) = NewStore();
        using var _ = store;
        var instance = Wasm.Instantiate(store, GrowableMemory);
        limiter.Calls.Clear();

        Assert.Equal(-1, instance.Export<int, int>("grow").Call(4));
        Assert.Equal([("memory", 1L * Page, 5L * Page, (long?)4 * Page), ("memory failed", 1L * Page, 5L * Page, (long?)null)], limiter.Calls);
    }

    [Fact]
    public void MemoryGrowFailedNamesTheMaximumAsTheReason()
    {
        var (store, limiter) = NewStore();
        using var _ = store;
        var instance = Wasm.Instantiate(store, GrowableMemory);

        Assert.Equal(-1, instance.Export<int, int>("grow").Call(4));
        Assert.Equal(["the maximum is 4 pages"], limiter.FailureReasons);
    }

    [Fact]
    public void MemoryGrowFailedPastTheAddressSpaceNamesThe65536PageMaximum()
    {
        var (store, limiter) = NewStore();
        using var _ = store;
        var instance = Wasm.Instantiate(store, "(module (memory 1) (func (export \"grow\") (param i32) (result i32) (memory.grow (local.get 0))))");

        Assert.Equal(-1, instance.Export<int, int>("grow").Call(-1));
        Assert.Equal(["the maximum is 65536 pages"], limiter.FailureReasons);
    }

    [Fact]
    public void TableGrowFailedIsReportedWhenTheLimiterAllowsGrowthBeyondTheMaximum()
    {
        var (store, limiter) = NewStore();
        using var _ = store;
        var table = new Table(store, ValKind.FuncRef, 1, 2, Val.Null(ValKind.FuncRef));
        limiter.Calls.Clear();

        Assert.Throws<InvalidOperationException>(() => table.Grow(2, Val.Null(ValKind.FuncRef)));
        Assert.Equal([("table", 1L, 3L, (long?)2), ("table failed", 1L, 3L, (long?)null)], limiter.Calls);
    }

    [Fact]
    public void GrowingByZeroDoesNotAskTheLimiter()
    {
        var (store, limiter) = NewStore();
        using var _ = store;
        var instance = Wasm.Instantiate(store, GrowableMemory);
        limiter.Calls.Clear();
        limiter.Allow = false;

        Assert.Equal(1, instance.Export<int, int>("grow").Call(0));
        Assert.Empty(limiter.Calls);
    }

    [Fact]
    public void HugeWasmGrowthIsReportedWithTheFullDesiredSize()
    {
        var (store, limiter) = NewStore();
        using var _ = store;
        var instance = Wasm.Instantiate(store, GrowableMemory);
        limiter.Calls.Clear();
        limiter.Allow = false;

        Assert.Equal(-1, instance.Export<int, int>("grow").Call(-1));
        Assert.Equal(((long)uint.MaxValue + 1) * Page, limiter.Calls[0].Desired);
    }

    [Fact]
    public void ACustomLimiterCountLimitAppliesToInstances()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        store.SetLimiter(new OneInstanceLimiter());
        Wasm.Instantiate(store, "(module)");

        Assert.Throws<ResourceLimitExceededException>(() => Wasm.Instantiate(store, "(module)"));
    }

    private sealed class OneInstanceLimiter : ResourceLimiter
    {
        public override bool MemoryGrowing(long currentBytes, long desiredBytes, long? maximumBytes) => true;
        public override bool TableGrowing(long currentElements, long desiredElements, long? maximumElements) => true;
        public override int Instances => 1;
    }

    /// <summary>Captures the wasm backtrace each time it is asked to allow a memory growth.</summary>
    private sealed class CapturingLimiter(Store store) : ResourceLimiter
    {
        public WasmBacktrace? Captured { get; private set; }

        public override bool MemoryGrowing(long currentBytes, long desiredBytes, long? maximumBytes)
        {
            Captured = WasmBacktrace.Capture(store);
            return true;
        }

        public override bool TableGrowing(long currentElements, long desiredElements, long? maximumElements) => true;
    }

    [Fact]
    public void ALimiterSeesTheWasmFramesThatAskedForGrowth()
    {
        using var store = new Store<int>(new Engine(), 0);
        var limiter = new CapturingLimiter(store);
        var grow = Wasm.Instantiate(store, """
            (module
              (import "h" "noop" (func $noop))
              (memory 1)
              (func $deep (call $noop))
              (func $grow (result i32) (call $deep) (memory.grow (i32.const 1)))
              (func $outer (export "outer") (result i32) (call $grow)))
            """, Func.FromDelegate(store, () => { })).Export<ValueTuple, int>("outer");
        store.SetLimiter(limiter);

        Assert.Equal(1, grow.Call(default));

        // The host call made one frame deeper just before has returned: its exit frame must not show up.
        Assert.Equal(["grow", "outer"], limiter.Captured!.Frames.Select(f => f.FunctionName));
    }
}
