using System.Runtime.CompilerServices;
using Sharptime.Format;
using Sharptime.Vm;

namespace Sharptime.Tests.Vm;

public sealed unsafe class VmTests
{
    private static readonly Engine Engine = new();

    [Fact]
    public void ValRawIsSixteenLittleEndianBytes()
    {
        Assert.Equal(16, sizeof(ValRaw));
        Assert.Equal(16, Unsafe.SizeOf<ValRaw>());
        var raw = ValRaw.FromI32(-1);
        Assert.Equal(0xFFFF_FFFFL, raw.I64);
        Assert.Equal(0UL, raw.High);
        var bytes = new ReadOnlySpan<byte>(&raw, 16);
        Assert.Equal([0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0], bytes[..8].ToArray());
        Assert.Equal(BitConverter.DoubleToUInt64Bits(1.5), ValRaw.FromF64(1.5).F64Bits);
        Assert.Equal(2.5f, ValRaw.FromF32(2.5f).F32);
    }

    [Fact]
    public void TypeIdsAreCanonicalPerEngine()
    {
        using var engine = new Engine();
        int a = engine.TypeId(new FuncType([ValType.I32], [ValType.I64]));
        int b = engine.TypeId(new FuncType([ValType.I32], [ValType.I64]));
        int c = engine.TypeId(new FuncType([ValType.I64], [ValType.I32]));
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.True(a >= 1 && c >= 1);
    }

    [Fact]
    public void HostFuncRefHasTheContractLayout()
    {
        using var store = new Store<int>(Engine, 0);
        var f = Func.FromDelegate(store, (int x) => x);
        nint funcRef = f.FuncRef;
        nint ctx = *(nint*)(funcRef + VMFuncRefLayout.Vmctx);

        Assert.Equal(ctx + VMHostContextLayout.FuncRef, funcRef);
        Assert.Equal(store.Context, *(nint*)(ctx + VMHostContextLayout.StoreContext));
        Assert.NotEqual(0, *(nint*)(ctx + VMHostContextLayout.Dispatch));
        Assert.Equal(0, *(nint*)(funcRef + VMFuncRefLayout.ArrayCall));
        Assert.Equal(f.TypeId, *(int*)(funcRef + VMFuncRefLayout.TypeId));
        Assert.Equal(Engine.TypeId(new FuncType([ValType.I32], [ValType.I32])), f.TypeId);
    }

    [Fact]
    public void DispatchRunsTheHostFunctionAndParksExceptions()
    {
        using var store = new Store<int>(Engine, 0);
        var ok = Func.FromDelegate(store, (int a, int b) => a * b);
        var boom = new InvalidProgramException("x");
        var bad = Func.FromDelegate(store, (int a) => throw boom);

        var values = stackalloc ValRaw[2];
        values[0] = ValRaw.FromI32(6);
        values[1] = ValRaw.FromI32(7);
        Assert.Equal(0, CallDispatch(ok, values, 2));
        Assert.Equal(42, values[0].I32);

        Assert.Equal(1, CallDispatch(bad, values, 1));
        Assert.Equal(TrapCodes.HostException, *(int*)(store.Context + VMStoreContextLayout.TrapCode));
        Assert.Same(boom, Assert.Throws<InvalidProgramException>(() => store.ThrowTrap()));
    }

    private static int CallDispatch(Func f, ValRaw* values, nuint count)
    {
        nint ctx = *(nint*)(f.FuncRef + VMFuncRefLayout.Vmctx);
        var dispatch = (delegate* unmanaged[Cdecl]<nint, nint, ValRaw*, nuint, int>)*(nint*)(ctx + VMHostContextLayout.Dispatch);
        return dispatch(ctx, 0, values, count);
    }

    [Fact]
    public void DispatchGivesTheCallingInstanceToTheHost()
    {
        using var store = new Store<int>(Engine, 5);
        var instance = Instantiate(store, """(module (memory (export "mem") 1) (data (i32.const 0) "wasm"))""");
        string? text = null;
        var f = Func.FromDelegate(store, (Caller c, int len) => { text = c.GetMemory("mem")!.ReadString(0, len); return c.GetData<int>(); });
        nint ctx = *(nint*)(f.FuncRef + VMFuncRefLayout.Vmctx);
        var dispatch = (delegate* unmanaged[Cdecl]<nint, nint, ValRaw*, nuint, int>)*(nint*)(ctx + VMHostContextLayout.Dispatch);
        var values = stackalloc ValRaw[1];
        values[0] = ValRaw.FromI32(4);

        Assert.Equal(0, dispatch(ctx, instance.Vmctx, values, 1));
        Assert.Equal("wasm", text);
        Assert.Equal(5, values[0].I32);
    }

    [Fact]
    public void TrapCodesBecomeTrapExceptions()
    {
        using var store = new Store<int>(Engine, 0);
        *(int*)(store.Context + VMStoreContextLayout.TrapCode) = (int)TrapCode.IntegerOverflow;
        var e = Assert.Throws<TrapException>(() => store.ThrowTrap());
        Assert.Equal(TrapCode.IntegerOverflow, e.Code);
        Assert.Equal("wasm trap: integer overflow", e.Message);
    }

    private static Instance Instantiate(Store<int> store, string wat, params object[] imports) =>
        new(store, Module.FromText(Engine, wat), imports);

    private static nint Builtin(Builtin b) => ((nint*)Builtins.Table)[(int)b];

    [Fact]
    public void VmctxHeaderIsFilled()
    {
        using var store = new Store<int>(Engine, 0);
        var instance = Instantiate(store, "(module (memory 1) (global (mut i32) (i32.const 3)) (type (func (param i32))))");
        nint vmctx = instance.Vmctx;
        var layout = instance.Layout;

        Assert.Equal(store.Context, *(nint*)(vmctx + VMContextLayout.StoreContext));
        Assert.Equal(Builtins.Table, *(nint*)(vmctx + VMContextLayout.Builtins));
        Assert.Same(instance, Instance.FromVmctx(vmctx));
        Assert.Equal(Engine.TypeId(new FuncType([ValType.I32], [])), *(int*)(vmctx + layout.TypeId(0)));
        Assert.Equal(instance.Memories[0].Linear.Definition, *(nint*)(vmctx + layout.Memory(0)));
        Assert.Equal(3, *(int*)*(nint*)(vmctx + layout.Global(0)));
    }

    [Fact]
    public void MemoryBuiltins()
    {
        using var store = new Store<int>(Engine, 0);
        var instance = Instantiate(store, """(module (memory 1 3) (data "abcdef"))""");
        nint vmctx = instance.Vmctx;
        var memory = instance.Memories[0];

        var grow = (delegate* unmanaged[Cdecl]<nint, uint, ulong, long>)Builtin(Sharptime.Vm.Builtin.MemoryGrow);
        Assert.Equal(1, grow(vmctx, 0, 1));
        Assert.Equal(-1, grow(vmctx, 0, 2));
        Assert.Equal(2, memory.Size);

        var fill = (delegate* unmanaged[Cdecl]<nint, uint, ulong, uint, ulong, int>)Builtin(Sharptime.Vm.Builtin.MemoryFill);
        Assert.Equal(0, fill(vmctx, 0, 10, 0x1FF, 4));
        Assert.Equal(0xFF, memory.ReadByte(13));
        Assert.Equal((int)TrapCode.MemoryOutOfBounds, fill(vmctx, 0, 2 * 65536 - 1, 1, 2));
        Assert.Equal(0, memory.ReadByte(2 * 65536 - 1));
        Assert.Equal(0, fill(vmctx, 0, 2 * 65536, 1, 0));

        var init = (delegate* unmanaged[Cdecl]<nint, uint, uint, ulong, uint, uint, int>)Builtin(Sharptime.Vm.Builtin.MemoryInit);
        Assert.Equal(0, init(vmctx, 0, 0, 100, 1, 3));
        Assert.Equal("bcd", memory.ReadString(100, 3));
        Assert.Equal((int)TrapCode.MemoryOutOfBounds, init(vmctx, 0, 0, 0, 4, 3));

        var copy = (delegate* unmanaged[Cdecl]<nint, uint, uint, ulong, ulong, ulong, int>)Builtin(Sharptime.Vm.Builtin.MemoryCopy);
        Assert.Equal(0, copy(vmctx, 0, 0, 101, 100, 3));
        Assert.Equal("bbcd", memory.ReadString(100, 4));
        Assert.Equal((int)TrapCode.MemoryOutOfBounds, copy(vmctx, 0, 0, 0, ulong.MaxValue, 2));

        var drop = (delegate* unmanaged[Cdecl]<nint, uint, void>)Builtin(Sharptime.Vm.Builtin.DataDrop);
        drop(vmctx, 0);
        Assert.Equal((int)TrapCode.MemoryOutOfBounds, init(vmctx, 0, 0, 0, 0, 1));
        Assert.Equal(0, init(vmctx, 0, 0, 0, 0, 0));
    }

    [Fact]
    public void TableBuiltins()
    {
        using var store = new Store<int>(Engine, 0);
        var f = Func.FromDelegate(store, () => { });
        var instance = Instantiate(store, """
            (module (import "m" "f" (func $f)) (table 2 5 funcref) (table 1 externref) (elem func $f $f))
            """, f);
        nint vmctx = instance.Vmctx;
        var table = instance.Tables[0];

        var grow = (delegate* unmanaged[Cdecl]<nint, uint, nint, ulong, long>)Builtin(Sharptime.Vm.Builtin.TableGrow);
        Assert.Equal(2, grow(vmctx, 0, f.FuncRef, 2));
        Assert.Equal(-1, grow(vmctx, 0, 0, 2));
        Assert.Same(f, table.Get(3).AsFunc());

        var fill = (delegate* unmanaged[Cdecl]<nint, uint, ulong, nint, ulong, int>)Builtin(Sharptime.Vm.Builtin.TableFill);
        Assert.Equal(0, fill(vmctx, 0, 2, 0, 2));
        Assert.True(table.Get(3).IsNull);
        Assert.Equal((int)TrapCode.TableOutOfBounds, fill(vmctx, 0, 3, 0, 2));

        var init = (delegate* unmanaged[Cdecl]<nint, uint, uint, ulong, uint, uint, int>)Builtin(Sharptime.Vm.Builtin.TableInit);
        Assert.Equal(0, init(vmctx, 0, 0, 0, 0, 2));
        Assert.Same(f, table.Get(1).AsFunc());
        Assert.Equal((int)TrapCode.TableOutOfBounds, init(vmctx, 0, 0, 3, 0, 2));

        var copy = (delegate* unmanaged[Cdecl]<nint, uint, uint, ulong, ulong, ulong, int>)Builtin(Sharptime.Vm.Builtin.TableCopy);
        Assert.Equal(0, copy(vmctx, 0, 0, 2, 0, 2));
        Assert.Same(f, table.Get(3).AsFunc());
        Assert.Equal((int)TrapCode.TableOutOfBounds, copy(vmctx, 1, 0, 0, 0, 2));

        var drop = (delegate* unmanaged[Cdecl]<nint, uint, void>)Builtin(Sharptime.Vm.Builtin.ElemDrop);
        drop(vmctx, 0);
        Assert.Equal((int)TrapCode.TableOutOfBounds, init(vmctx, 0, 0, 0, 0, 1));
    }

    [Fact]
    public void ModulesWithFunctionsNeedTheCompiler()
    {
        // Until the JIT lands, instantiating a module with code reaches the compiler stub.
        using var store = new Store<int>(Engine, 0);
        var module = Module.FromText(Engine, "(module (func))");
        Assert.Equal(1, module.Layout.DefinedFunctionCount);
    }
}
