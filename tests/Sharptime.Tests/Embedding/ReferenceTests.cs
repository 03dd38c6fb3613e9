using System.Runtime.CompilerServices;

namespace Sharptime.Tests.Embedding;

public sealed class ReferenceTests
{
    private const string HolderModule = """
        (module
          (table $t (export "table") 16 externref)
          (global $g (export "global") (mut externref) (ref.null extern))
          (func (export "put") (param i32 externref) (table.set $t (local.get 0) (local.get 1)))
          (func (export "take") (param i32) (result externref) (table.get $t (local.get 0)))
          (func (export "set_global") (param externref) (global.set $g (local.get 0)))
          (func (export "get_global") (result externref) (global.get $g))
          (func (export "is_null") (param externref) (result i32) (ref.is_null (local.get 0))))
        """;

    [Fact]
    public void ExternrefStoredInATableIsReadBackAsTheSameObject()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        var instance = Wasm.Instantiate(store, HolderModule);
        var a = new Payload(1);
        var b = new Payload(2);

        instance.Export<(int, object?), ValueTuple>("put").Call((3, a));
        instance.Export<(int, object?), ValueTuple>("put").Call((4, b));

        Assert.Same(a, instance.Export<int, object?>("take").Call(3));
        Assert.Same(b, instance.Export<int, object?>("take").Call(4));
        Assert.Null(instance.Export<int, object?>("take").Call(5));
        Assert.Same(a, instance.GetTable("table")!.Get(3).AsExtern());
    }

    [Fact]
    public void ExternrefStoredInAGlobalIsReadBackAsTheSameObject()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        var instance = Wasm.Instantiate(store, HolderModule);
        var payload = new Payload(9);

        instance.Export<object?, ValueTuple>("set_global").Call(payload);

        Assert.Same(payload, instance.Export<ValueTuple, object?>("get_global").Call(default));
        Assert.Same(payload, instance.GetGlobal("global")!.Value.AsExtern());
    }

    [Fact]
    public void ExternrefSetByTheHostOnAGlobalIsSeenByWasm()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        var instance = Wasm.Instantiate(store, HolderModule);
        var payload = new Payload(10);

        instance.GetGlobal("global")!.Value = Val.FromExtern(payload);

        Assert.Same(payload, instance.Export<ValueTuple, object?>("get_global").Call(default));
        Assert.Equal(0, instance.Export<object?, int>("is_null").Call(payload));
        Assert.Equal(1, instance.Export<object?, int>("is_null").Call(null));
    }

    [Fact]
    public void EqualButDistinctObjectsKeepTheirIdentity()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        var instance = Wasm.Instantiate(store, HolderModule);
        string s1 = new('x', 3), s2 = new('x', 3);

        instance.Export<(int, object?), ValueTuple>("put").Call((0, s1));
        instance.Export<(int, object?), ValueTuple>("put").Call((1, s2));

        Assert.Same(s1, instance.Export<int, object?>("take").Call(0));
        Assert.Same(s2, instance.Export<int, object?>("take").Call(1));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference[] StoreEight(Instance instance)
    {
        var payloads = Enumerable.Range(0, 8).Select(i => new Payload(100 + i)).ToArray();
        instance.Export<(object, object, object, object, object, object, object), ValueTuple>("put7")
            .Call((payloads[0], payloads[1], payloads[2], payloads[3], payloads[4], payloads[5], payloads[6]));
        instance.Export<(int, object?), ValueTuple>("put").Call((7, payloads[7]));
        return Array.ConvertAll(payloads, p => new WeakReference(p));
    }

    [Fact]
    public void ManyExternrefsPassedInOneCallSurviveAForcedGc()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        var instance = Wasm.Instantiate(store, """
            (module
              (table $t 8 externref)
              (func (export "put") (param i32 externref) (table.set $t (local.get 0) (local.get 1)))
              (func (export "put7") (param externref externref externref externref externref externref externref)
                (table.set $t (i32.const 0) (local.get 0))
                (table.set $t (i32.const 1) (local.get 1))
                (table.set $t (i32.const 2) (local.get 2))
                (table.set $t (i32.const 3) (local.get 3))
                (table.set $t (i32.const 4) (local.get 4))
                (table.set $t (i32.const 5) (local.get 5))
                (table.set $t (i32.const 6) (local.get 6)))
              (func (export "take") (param i32) (result externref) (table.get $t (local.get 0))))
            """);
        var weak = StoreEight(instance);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        var take = instance.Export<int, object?>("take");
        for (int i = 0; i < 8; i++)
        {
            var back = Assert.IsType<Payload>(take.Call(i));
            Assert.Equal(100 + i, back.Id);
            Assert.Same(weak[i].Target, back);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (object, object, object, object) Fresh(List<WeakReference> weak)
    {
        var p = Enumerable.Range(0, 4).Select(i => new Payload(i)).ToArray();
        weak.AddRange(p.Select(x => new WeakReference(x)));
        return (p[0], p[1], p[2], p[3]);
    }

    [Fact]
    public void ExternrefsInWasmLocalsSurviveAGcTriggeredByAHostCall()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        var collect = Func.FromDelegate(store, () =>
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
        });
        var instance = Wasm.Instantiate(store, """
            (module
              (import "h" "collect" (func $collect))
              (func (export "hold") (param externref externref externref externref) (result externref externref externref externref)
                (call $collect)
                (local.get 3) (local.get 2) (local.get 1) (local.get 0)))
            """, collect);
        var weak = new List<WeakReference>();

        var (r0, r1, r2, r3) = instance.Export<(object, object, object, object), (object, object, object, object)>("hold").Call(Fresh(weak));

        Assert.Equal([3, 2, 1, 0], new[] { r0, r1, r2, r3 }.Select(o => ((Payload)o).Id));
        Assert.Same(weak[3].Target, r0);
        Assert.Same(weak[0].Target, r3);
    }

    [Fact]
    public void RefFuncReturnedToTheHostIsACallableFunc()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        var instance = Wasm.Instantiate(store, """
            (module
              (func $add (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
              (elem declare func $add)
              (func (export "get_add") (result funcref) (ref.func $add)))
            """);

        var add = instance.Export<ValueTuple, Func?>("get_add").Call(default);

        Assert.NotNull(add);
        Assert.Equal(new FunctionType([ValKind.I32, ValKind.I32], [ValKind.I32]), add.Type);
        Assert.Equal(12, add.Typed<(int, int), int>().Call((5, 7)));
        Assert.Equal([Val.FromI32(3)], add.Call(1, 2));
        Assert.Same(add, instance.Export<ValueTuple, Func?>("get_add").Call(default));
    }

    [Fact]
    public void CallIndirectReachesAHostFunctionPlacedInATableByTheHost()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        var instance = Wasm.Instantiate(store, """
            (module
              (type $i_i (func (param i32) (result i32)))
              (table (export "table") 4 funcref)
              (func (export "call") (param i32 i32) (result i32) (call_indirect (type $i_i) (local.get 1) (local.get 0))))
            """);
        var triple = Func.FromDelegate(store, (int x) => x * 3);
        var negate = Func.FromDelegate(store, (int x) => -x);
        var table = instance.GetTable("table")!;

        table.Set(0, Val.FromFunc(triple));
        table.Set(2, Val.FromFunc(negate));
        var call = instance.Export<(int, int), int>("call");

        Assert.Equal(21, call.Call((0, 7)));
        Assert.Equal(-7, call.Call((2, 7)));
        Assert.Equal(TrapCode.IndirectCallToNull, Assert.Throws<TrapException>(() => call.Call((1, 7))).Code);
    }

    [Fact]
    public void CallIndirectReachesAHostFunctionPassedInAsFuncref()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        var instance = Wasm.Instantiate(store, """
            (module
              (type $ii_i (func (param i32 i32) (result i32)))
              (table $t 1 funcref)
              (func (export "apply") (param funcref i32 i32) (result i32)
                (table.set $t (i32.const 0) (local.get 0))
                (call_indirect $t (type $ii_i) (local.get 1) (local.get 2) (i32.const 0))))
            """);
        var sub = Func.FromDelegate(store, (int a, int b) => a - b);
        var wrongType = Func.FromDelegate(store, (long a) => a);
        var apply = instance.Export<(Func, int, int), int>("apply");

        Assert.Equal(6, apply.Call((sub, 10, 4)));
        Assert.Equal(TrapCode.BadSignature, Assert.Throws<TrapException>(() => apply.Call((wrongType, 10, 4))).Code);
    }

    [Fact]
    public void WasmFunctionStoredInATableByWasmIsCallableFromTheHostThroughTheTable()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        var instance = Wasm.Instantiate(store, """
            (module
              (table (export "table") 1 funcref)
              (func $seven (result i32) (i32.const 7))
              (elem (i32.const 0) func $seven))
            """);

        var f = instance.GetTable("table")!.Get(0).AsFunc();

        Assert.NotNull(f);
        Assert.Equal(7, f.Typed<ValueTuple, int>().Call(default));
    }
}
