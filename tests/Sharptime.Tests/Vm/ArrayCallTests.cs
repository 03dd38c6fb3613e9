using Sharptime.Format;
using Sharptime.Vm;

namespace Sharptime.Tests.Vm;

/// <summary>The host → wasm array-call path, with hand-assembled entry trampolines standing in for compiled code.</summary>
public sealed unsafe class ArrayCallTests
{
    private static readonly Engine Engine = new();

    // int entry(rdi calleeVmctx, rsi callerVmctx, rdx values, rcx count): values[0].i32 += values[1].i32; return 0
    private static readonly byte[] AddCode = [0x8B, 0x02, 0x03, 0x42, 0x10, 0x89, 0x02, 0x31, 0xC0, 0xC3];

    // *(int*)(*(nint*)rdi + 16) = 3 (IntegerOverflow); return 1
    private static readonly byte[] TrapCode3 = [0x48, 0x8B, 0x07, 0xC7, 0x40, 0x10, 0x03, 0x00, 0x00, 0x00, 0xB8, 0x01, 0x00, 0x00, 0x00, 0xC3];

    private static Func FakeWasmFunc(Store<int> store, byte[] code, FuncType type)
    {
        var instance = new Instance(store, Module.FromText(store.Engine, "(module)"));
        var memory = new CodeMemory(code);
        store.Own(memory);
        nint funcRef = store.Alloc(VMFuncRefLayout.Size);
        int typeId = store.Engine.TypeId(type);
        *(nint*)(funcRef + VMFuncRefLayout.ArrayCall) = memory.Address;
        *(int*)(funcRef + VMFuncRefLayout.TypeId) = typeId;
        *(nint*)(funcRef + VMFuncRefLayout.Vmctx) = instance.Vmctx;
        return Func.ForWasm(store, type, typeId, funcRef, instance);
    }

    [Fact]
    public void UntypedAndTypedCallsGoThroughTheEntryTrampoline()
    {
        using var store = new Store<int>(Engine, 0);
        var add = FakeWasmFunc(store, AddCode, new FuncType([ValType.I32, ValType.I32], [ValType.I32]));

        Assert.Equal([Val.FromI32(5)], add.Call(2, 3));
        Assert.Equal(-1, add.Typed<(int, int), int>().Call((1, -2)));
        Assert.NotEqual(0, *(nint*)(store.Context + VMStoreContextLayout.StackLimit));
    }

    [Fact]
    public void TrapStatusBecomesTrapException()
    {
        using var store = new Store<int>(Engine, 0);
        var trap = FakeWasmFunc(store, TrapCode3, new FuncType([], []));
        Assert.Equal(TrapCode.IntegerOverflow, Assert.Throws<TrapException>(() => trap.Call()).Code);
        Assert.Equal(TrapCode.IntegerOverflow, Assert.Throws<TrapException>(() => trap.Typed<ValueTuple, ValueTuple>().Call(default)).Code);
    }

    [Fact]
    public void StackLimitIsBelowTheOutermostCaller()
    {
        var config = new Config { MaxWasmStack = 64 * 1024 };
        using var engine = new Engine(config);
        using var store = new Store<int>(engine, 0);
        var add = FakeWasmFunc(store, AddCode, new FuncType([ValType.I32, ValType.I32], [ValType.I32]));
        int local = 0;
        add.Call(1, 1);
        nint limit = *(nint*)(store.Context + VMStoreContextLayout.StackLimit);
        nint here = (nint)(&local);
        Assert.InRange(here - limit, 60 * 1024, 68 * 1024);
    }
}
