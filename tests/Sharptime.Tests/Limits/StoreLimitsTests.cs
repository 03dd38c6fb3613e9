using Sharptime.Tests.Embedding;

namespace Sharptime.Tests.ResourceLimits;

public sealed class StoreLimitsTests
{
    private const int Page = 65536;

    private const string GrowableMemory = """
        (module
          (memory (export "memory") 1)
          (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
          (func (export "size") (result i32) (memory.size)))
        """;

    private const string GrowableTable = """
        (module
          (table (export "table") 2 funcref)
          (func (export "grow") (param i32) (result i32) (table.grow (ref.null func) (local.get 0)))
          (func (export "size") (result i32) (table.size)))
        """;

    private static Store<int> StoreWith(StoreLimits limits)
    {
        var store = new Store<int>(Wasm.Engine, 0);
        store.SetLimits(limits);
        return store;
    }

    [Fact]
    public void WasmMemoryGrowUpToTheMemorySizeLimitSucceeds()
    {
        using var store = StoreWith(new StoreLimitsBuilder().MemorySize(3 * Page).Build());
        var instance = Wasm.Instantiate(store, GrowableMemory);

        Assert.Equal(1, instance.Export<int, int>("grow").Call(2));
        Assert.Equal(3, instance.Export<ValueTuple, int>("size").Call(default));
    }

    [Fact]
    public void WasmMemoryGrowBeyondTheMemorySizeLimitReturnsMinusOneAndKeepsTheSize()
    {
        using var store = StoreWith(new StoreLimitsBuilder().MemorySize(3 * Page).Build());
        var instance = Wasm.Instantiate(store, GrowableMemory);

        Assert.Equal(-1, instance.Export<int, int>("grow").Call(3));
        Assert.Equal(1, instance.Export<ValueTuple, int>("size").Call(default));
    }

    [Fact]
    public void WasmTableGrowBeyondTheTableElementsLimitReturnsMinusOne()
    {
        using var store = StoreWith(new StoreLimitsBuilder().TableElements(5).Build());
        var instance = Wasm.Instantiate(store, GrowableTable);

        Assert.Equal(-1, instance.Export<int, int>("grow").Call(4));
        Assert.Equal(2, instance.Export<int, int>("grow").Call(3));
        Assert.Equal(5, instance.Export<ValueTuple, int>("size").Call(default));
    }

    [Fact]
    public void InstantiationFailsWhenAMemoryMinimumExceedsTheMemorySizeLimit()
    {
        using var store = StoreWith(new StoreLimitsBuilder().MemorySize(Page).Build());

        var e = Assert.Throws<ResourceLimitExceededException>(() => Wasm.Instantiate(store, "(module (memory 2))"));

        Assert.Equal(LimitedResource.MemorySize, e.Resource);
        Assert.Contains("2 pages", e.Message);
    }

    [Fact]
    public void InstantiationFailsWhenATableMinimumExceedsTheTableElementsLimit()
    {
        using var store = StoreWith(new StoreLimitsBuilder().TableElements(1).Build());

        var e = Assert.Throws<ResourceLimitExceededException>(() => Wasm.Instantiate(store, "(module (table 2 funcref))"));

        Assert.Equal(LimitedResource.TableElements, e.Resource);
    }

    [Fact]
    public void InstantiatingBeyondTheInstancesLimitFails()
    {
        using var store = StoreWith(new StoreLimitsBuilder().Instances(2).Build());
        var module = Module.FromText(Wasm.Engine, "(module)");
        _ = new Instance(store, module);
        _ = new Instance(store, module);

        var e = Assert.Throws<ResourceLimitExceededException>(() => new Instance(store, module));

        Assert.Equal(LimitedResource.Instances, e.Resource);
    }

    [Fact]
    public void InstantiatingBeyondTheMemoriesLimitFails()
    {
        using var store = StoreWith(new StoreLimitsBuilder().Memories(1).Build());
        var module = Module.FromText(Wasm.Engine, "(module (memory 1))");
        _ = new Instance(store, module);

        var e = Assert.Throws<ResourceLimitExceededException>(() => new Instance(store, module));

        Assert.Equal(LimitedResource.Memories, e.Resource);
    }

    [Fact]
    public void InstantiatingBeyondTheTablesLimitFails()
    {
        using var store = StoreWith(new StoreLimitsBuilder().Tables(1).Build());
        var module = Module.FromText(Wasm.Engine, "(module (table 1 funcref))");
        _ = new Instance(store, module);

        var e = Assert.Throws<ResourceLimitExceededException>(() => new Instance(store, module));

        Assert.Equal(LimitedResource.Tables, e.Resource);
    }

    [Fact]
    public void ImportedMemoriesDoNotCountAgainAtInstantiation()
    {
        using var store = StoreWith(new StoreLimitsBuilder().Memories(1).Build());
        var memory = new Memory(store, 1);

        var instance = Wasm.Instantiate(store, """(module (import "m" "memory" (memory 1)) (func (export "size") (result i32) (memory.size)))""", memory);

        Assert.Equal(1, instance.Export<ValueTuple, int>("size").Call(default));
    }

    [Fact]
    public void HostCreatedMemoriesCountTowardsTheMemoriesLimit()
    {
        using var store = StoreWith(new StoreLimitsBuilder().Memories(1).Build());
        _ = new Memory(store, 1);

        var e = Assert.Throws<ResourceLimitExceededException>(() => Wasm.Instantiate(store, "(module (memory 1))"));

        Assert.Equal(LimitedResource.Memories, e.Resource);
    }

    [Fact]
    public void HostCreatedTablesCountTowardsTheTablesLimit()
    {
        using var store = StoreWith(new StoreLimitsBuilder().Tables(1).Build());
        _ = new Table(store, ValKind.FuncRef, 1, null, Val.Null(ValKind.FuncRef));

        var e = Assert.Throws<ResourceLimitExceededException>(() => new Table(store, ValKind.FuncRef, 1, null, Val.Null(ValKind.FuncRef)));

        Assert.Equal(LimitedResource.Tables, e.Resource);
    }

    [Fact]
    public void HostCreatingAMemoryAboveTheMemorySizeLimitFails()
    {
        using var store = StoreWith(new StoreLimitsBuilder().MemorySize(Page).Build());

        var e = Assert.Throws<ResourceLimitExceededException>(() => new Memory(store, 2));

        Assert.Equal(LimitedResource.MemorySize, e.Resource);
    }

    [Fact]
    public void HostMemoryGrowBeyondTheMemorySizeLimitThrowsInvalidOperation()
    {
        using var store = StoreWith(new StoreLimitsBuilder().MemorySize(2 * Page).Build());
        var memory = new Memory(store, 1);

        var e = Assert.Throws<InvalidOperationException>(() => memory.Grow(2));

        Assert.Contains("limiter", e.Message);
        Assert.Equal(1, memory.Size);
    }

    [Fact]
    public void HostTableGrowBeyondTheTableElementsLimitThrowsInvalidOperation()
    {
        using var store = StoreWith(new StoreLimitsBuilder().TableElements(3).Build());
        var table = new Table(store, ValKind.ExternRef, 1, null, Val.Null(ValKind.ExternRef));

        Assert.Throws<InvalidOperationException>(() => table.Grow(3, Val.Null(ValKind.ExternRef)));
        Assert.Equal(1u, table.Size);
    }

    [Fact]
    public void TrapOnGrowFailureMakesWasmMemoryGrowThrowInsteadOfReturningMinusOne()
    {
        using var store = StoreWith(new StoreLimitsBuilder().MemorySize(2 * Page).TrapOnGrowFailure(true).Build());
        var instance = Wasm.Instantiate(store, GrowableMemory);

        var e = Assert.Throws<ResourceLimitExceededException>(() => instance.Export<int, int>("grow").Call(5));

        Assert.Equal(LimitedResource.MemorySize, e.Resource);
    }

    [Fact]
    public void TrapOnGrowFailureAlsoCoversGrowthBeyondTheDeclaredMaximum()
    {
        using var store = StoreWith(new StoreLimitsBuilder().TrapOnGrowFailure(true).Build());
        var instance = Wasm.Instantiate(store, """
            (module (table 1 2 funcref) (func (export "grow") (param i32) (result i32) (table.grow (ref.null func) (local.get 0))))
            """);

        var e = Assert.Throws<ResourceLimitExceededException>(() => instance.Export<int, int>("grow").Call(2));

        Assert.Equal(LimitedResource.TableElements, e.Resource);
    }

    [Fact]
    public void WasmtimeDotnetStyleSetLimitsAppliesTheGivenLimits()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        store.SetLimits(memorySize: 2 * Page, instances: 1);
        var instance = Wasm.Instantiate(store, GrowableMemory);

        Assert.Equal(-1, instance.Export<int, int>("grow").Call(2));
        Assert.Throws<ResourceLimitExceededException>(() => Wasm.Instantiate(store, "(module)"));
    }

    [Fact]
    public void LimitsInstalledLaterCountWhatTheStoreAlreadyHolds()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        Wasm.Instantiate(store, "(module)");
        store.SetLimits(new StoreLimitsBuilder().Instances(1).Build());

        Assert.Throws<ResourceLimitExceededException>(() => Wasm.Instantiate(store, "(module)"));
    }

    [Fact]
    public void RemovingTheLimiterLiftsTheLimits()
    {
        using var store = StoreWith(new StoreLimitsBuilder().MemorySize(Page).Build());
        var instance = Wasm.Instantiate(store, GrowableMemory);
        store.SetLimiter(null);

        Assert.Equal(1, instance.Export<int, int>("grow").Call(1));
    }

    [Fact]
    public void BuilderSettersReturnTheLimitsTheyWereGiven()
    {
        var limits = new StoreLimitsBuilder().MemorySize(7 * Page).TableElements(9).Instances(3).Tables(4).Memories(5).Build();

        Assert.Equal((7L * Page, 9L, 3, 4, 5, false),
            (limits.MemorySize, limits.TableElements, limits.Instances, limits.Tables, limits.Memories, limits.TrapOnGrowFailure));
    }

    [Fact]
    public void AnEmptyBuilderGivesUnlimitedSizesAndDefaultCounts()
    {
        var limits = new StoreLimitsBuilder().Build();

        Assert.Equal((null, null, ResourceLimiter.DefaultCountLimit, ResourceLimiter.DefaultCountLimit, ResourceLimiter.DefaultCountLimit),
            ((long?)limits.MemorySize, (long?)limits.TableElements, limits.Instances, limits.Tables, limits.Memories));
    }

    public static TheoryData<string> NegativeSetters => ["MemorySize", "TableElements", "Instances", "Tables", "Memories"];

    [Theory]
    [MemberData(nameof(NegativeSetters))]
    public void BuilderRejectsANegativeLimit(string setter)
    {
        var builder = new StoreLimitsBuilder();
        Action set = setter switch
        {
            "MemorySize" => () => builder.MemorySize(-1),
            "TableElements" => () => builder.TableElements(-1),
            "Instances" => () => builder.Instances(-1),
            "Tables" => () => builder.Tables(-1),
            _ => () => builder.Memories(-1),
        };

        Assert.Throws<ArgumentOutOfRangeException>(set);
    }

    [Fact]
    public void SetLimitsRejectsNull()
    {
        using var store = new Store<int>(Wasm.Engine, 0);

        Assert.Throws<ArgumentNullException>(() => store.SetLimits((StoreLimits)null!));
    }

    [Fact]
    public void SetLimiterOnADisposedStoreThrowsObjectDisposed()
    {
        var store = new Store<int>(Wasm.Engine, 0);
        store.Dispose();

        Assert.Throws<ObjectDisposedException>(() => store.SetLimits(new StoreLimitsBuilder().Build()));
    }

    [Fact]
    public void ZeroInstancesLimitRefusesTheFirstInstance()
    {
        using var store = StoreWith(new StoreLimitsBuilder().Instances(0).Build());

        Assert.Throws<ResourceLimitExceededException>(() => Wasm.Instantiate(store, "(module)"));
    }
}
