namespace Sharptime.Tests.Api;

public sealed class ObjectTests
{
    private static readonly Engine Engine = new();

    [Fact]
    public void MemoryGrowsWithinItsMaximumAndKeepsItsBase()
    {
        using var store = new Store<int>(Engine, 0);
        var memory = new Memory(store, 1, 3);
        memory.WriteInt32(100, 0x12345678);
        var before = memory.GetSpan();

        Assert.Equal(1, memory.Grow(2));
        Assert.Equal(3, memory.Size);
        Assert.Equal(3 * 65536, memory.Length);
        Assert.Equal(0x12345678, memory.ReadInt32(100));
        Assert.Equal(0x78, before[100]);
        Assert.Equal(0, memory.ReadInt64(3 * 65536 - 8));
        Assert.Throws<InvalidOperationException>(() => memory.Grow(1));
        Assert.Equal(3, memory.Grow(0));
        Assert.Equal(3, memory.Maximum);
        Assert.Equal(1, memory.Minimum);
    }

    [Fact]
    public void MemoryAccessorsCheckBounds()
    {
        using var store = new Store<int>(Engine, 0);
        var memory = new Memory(store, 1);
        memory.WriteDouble(65536 - 8, 1.5);
        memory.WriteSingle(0, 2.5f);
        memory.WriteByte(8, 7);
        memory.WriteInt64(16, -1);
        Assert.Equal(1.5, memory.ReadDouble(65536 - 8));
        Assert.Equal(2.5f, memory.ReadSingle(0));
        Assert.Equal(7, memory.ReadByte(8));
        Assert.Equal(-1, memory.ReadInt64(16));
        Assert.Throws<ArgumentOutOfRangeException>(() => memory.ReadInt32(65536 - 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => memory.WriteByte(-1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => memory.GetSpan(65530, 7));
        Assert.Equal(6, memory.GetSpan(65530, 6).Length);
    }

    [Fact]
    public void MemoryWithoutMaximumCanGrowBeyondItsMinimum()
    {
        using var store = new Store<int>(Engine, 0);
        var memory = new Memory(store, 0);
        Assert.Equal(0, memory.Size);
        Assert.Equal(0, memory.Grow(10));
        Assert.Equal(10, memory.Size);
        Assert.Null(memory.Maximum);
        Assert.Throws<InvalidOperationException>(() => memory.Grow(65536));
    }

    [Fact]
    public void InvalidMemoryLimitsAreRejected()
    {
        using var store = new Store<int>(Engine, 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Memory(store, 2, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Memory(store, 65537));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Memory(store, -1));
    }

    [Fact]
    public void TableGetSetGrow()
    {
        using var store = new Store<int>(Engine, 0);
        var f = Func.FromDelegate(store, () => { });
        var table = new Table(store, ValKind.FuncRef, 2, 4, Val.Null(ValKind.FuncRef));

        Assert.Equal(2u, table.Size);
        Assert.True(table.Get(0).IsNull);
        table.Set(1, Val.FromFunc(f));
        Assert.Same(f, table.Get(1).AsFunc());
        Assert.Equal(2u, table.Grow(2, Val.FromFunc(f)));
        Assert.Same(f, table.Get(3).AsFunc());
        Assert.Same(f, table.Get(1).AsFunc());
        Assert.Throws<InvalidOperationException>(() => table.Grow(1, Val.Null(ValKind.FuncRef)));
        Assert.Throws<ArgumentOutOfRangeException>(() => table.Get(4));
        Assert.Throws<ArgumentException>(() => table.Set(0, Val.FromExtern("x")));
        Assert.Throws<ArgumentException>(() => new Table(store, ValKind.I32, 1, null, Val.FromI32(0)));
    }

    [Fact]
    public void ExternrefTableKeepsObjects()
    {
        using var store = new Store<int>(Engine, 0);
        var payload = new List<int> { 1 };
        var table = new Table(store, ValKind.ExternRef, 1, null, Val.FromExtern(payload));
        table.Grow(3, Val.Null(ValKind.ExternRef));
        Assert.Same(payload, table.Get(0).AsExtern());
        Assert.Null(table.Get(3).AsExtern());
        Assert.Equal(ValKind.ExternRef, table.ElementKind);
        Assert.Null(table.Maximum);
    }

    [Fact]
    public void GlobalValues()
    {
        using var store = new Store<int>(Engine, 0);
        var mutable = new Global(store, ValKind.I64, true, Val.FromI64(5));
        var immutable = new Global(store, ValKind.F64, false, Val.FromF64(1.25));

        mutable.Value = Val.FromI64(-9);
        Assert.Equal(-9, mutable.Value.AsI64());
        Assert.Equal(1.25, immutable.Value.AsF64());
        Assert.Throws<InvalidOperationException>(() => immutable.Value = Val.FromF64(2));
        Assert.Throws<ArgumentException>(() => mutable.Value = Val.FromI32(1));
        Assert.Throws<ArgumentException>(() => new Global(store, ValKind.I32, false, Val.FromI64(1)));
        Assert.Equal("(global (mut i64))", mutable.ToString());
    }

    [Fact]
    public void NaNBitPatternsSurviveGlobals()
    {
        using var store = new Store<int>(Engine, 0);
        var g = new Global(store, ValKind.F32, true, Val.FromF32Bits(0x7fa00001));
        Assert.Equal(0x7fa00001, g.Value.RawBits);
    }

    [Fact]
    public void DisposedObjectsThrow()
    {
        var store = new Store<int>(Engine, 0);
        var memory = new Memory(store, 1);
        var table = new Table(store, ValKind.ExternRef, 1, null, Val.Null(ValKind.ExternRef));
        var global = new Global(store, ValKind.I32, true, Val.FromI32(1));
        store.Dispose();
        store.Dispose();

        Assert.True(store.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => memory.Size);
        Assert.Throws<ObjectDisposedException>(() => memory.ReadByte(0));
        Assert.Throws<ObjectDisposedException>(() => table.Get(0));
        Assert.Throws<ObjectDisposedException>(() => global.Value);
    }

    [Fact]
    public void EngineClonesItsConfig()
    {
        var config = new Config { MaxWasmStack = 1024 * 1024 };
        using var engine = new Engine(config);
        config.MaxWasmStack = 64 * 1024;
        Assert.Equal((nuint)(1024 * 1024), engine.Config.MaxWasmStack);
    }
}
