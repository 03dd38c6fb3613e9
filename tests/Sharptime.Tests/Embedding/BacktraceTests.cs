namespace Sharptime.Tests.Embedding;

/// <summary>Traps and host calls report the wasm frames on the stack, in wasm terms.</summary>
public class BacktraceTests
{
    private const string Calc = """
        (module $calc
          (import "host" "cb" (func $cb (param i32)))
          (func $div (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s)
          (func $compute (export "compute") (param i32) (result i32) i32.const 10 local.get 0 call $div)
          (func (export "viaHost") (param i32) local.get 0 call $cb)
          (func $rec (export "rec") (param i32) (result i32) local.get 0 i32.const 1 i32.add call $rec)
          (table 1 funcref)
          (elem (i32.const 0) $div)
          (type $binary (func (param i32 i32) (result i32)))
          (func $indirect (export "indirect") (param i32) (result i32)
            i32.const 7 local.get 0 i32.const 0 call_indirect (type $binary))
          (func (export "unnamedCaller") (result i32) i32.const 0 call 7)
          (func (param i32) (result i32) local.get 0 unreachable)
        )
        """;

    private static (Store<int> store, Instance instance) Instantiate(Engine engine, Action<Caller, int>? callback = null)
    {
        var store = new Store<int>(engine, 0);
        var linker = new Linker<int>(engine);
        linker.DefineFunction("host", "cb", (Caller caller, int x) => (callback ?? ((_, _) => { }))(caller, x));
        return (store, linker.Instantiate(store, Module.FromText(engine, Calc)));
    }

    /// <summary>Module offset of the first occurrence of <paramref name="opcode"/> bytes in function body <paramref name="defined"/>.</summary>
    private static int OffsetOf(Engine engine, int defined, params byte[] opcode)
    {
        var bytes = Module.ConvertText(Calc);
        var module = Sharptime.Format.ModuleParser.Parse(bytes);
        var body = module.FunctionBodies[defined];
        int at = bytes.AsSpan(body.Offset, body.Length).IndexOf(opcode);
        Assert.True(at >= 0);
        return body.Offset + at;
    }

    private static string Names(WasmBacktrace bt) =>
        string.Join(" < ", bt.Frames.Select(f => $"{f.ModuleName}!{f.FunctionName ?? "func" + f.FunctionIndex}"));

    [Fact]
    public void TrapInNestedCallListsInnermostFrameFirst()
    {
        var (store, instance) = Instantiate(Wasm.Engine);
        using var _ = store;
        var e = Assert.Throws<TrapException>(() => instance.GetFunction("compute")!.Call(0));
        Assert.Equal(TrapCode.IntegerDivisionByZero, e.Code);
        var frames = e.Backtrace!.Frames;
        Assert.Equal(2, frames.Count);
        Assert.Equal(("calc", 1u, "div"), (frames[0].ModuleName, frames[0].FunctionIndex, frames[0].FunctionName));
        Assert.Equal(("calc", 2u, "compute"), (frames[1].ModuleName, frames[1].FunctionIndex, frames[1].FunctionName));
    }

    [Fact]
    public void TrapFrameOffsetsPointAtTheFaultingAndCallingInstructions()
    {
        var (store, instance) = Instantiate(Wasm.Engine);
        using var _ = store;
        var e = Assert.Throws<TrapException>(() => instance.GetFunction("compute")!.Call(0));
        int divAt = OffsetOf(Wasm.Engine, 0, 0x6D);          // i32.div_s
        int callAt = OffsetOf(Wasm.Engine, 1, 0x10, 0x01);   // call $div
        Assert.Equal(divAt, e.Backtrace!.Frames[0].ModuleOffset);
        Assert.Equal(callAt, e.Backtrace.Frames[1].ModuleOffset);
        var module = Sharptime.Format.ModuleParser.Parse(Module.ConvertText(Calc));
        Assert.Equal(divAt - module.FunctionBodies[0].Offset, e.Backtrace.Frames[0].FunctionOffset);
    }

    [Fact]
    public void TrapMessageReadsLikeWasmtime()
    {
        var (store, instance) = Instantiate(Wasm.Engine);
        using var _ = store;
        var e = Assert.Throws<TrapException>(() => instance.GetFunction("compute")!.Call(0));
        int divAt = OffsetOf(Wasm.Engine, 0, 0x6D);
        int callAt = OffsetOf(Wasm.Engine, 1, 0x10, 0x01);
        Assert.Equal(
            $"wasm trap: integer divide by zero\nwasm backtrace:\n    0: {"0x" + divAt.ToString("x"),6} - calc!div\n    1: {"0x" + callAt.ToString("x"),6} - calc!compute",
            e.Message);
    }

    [Fact]
    public void TrapThroughCallIndirectShowsTheTarget()
    {
        var (store, instance) = Instantiate(Wasm.Engine);
        using var _ = store;
        var e = Assert.Throws<TrapException>(() => instance.GetFunction("indirect")!.Call(0));
        Assert.Equal("calc!div < calc!indirect", Names(e.Backtrace!));
    }

    [Fact]
    public void FunctionWithoutANameIsShownByIndex()
    {
        var (store, instance) = Instantiate(Wasm.Engine);
        using var _ = store;
        var e = Assert.Throws<TrapException>(() => instance.GetFunction("unnamedCaller")!.Call());
        Assert.Equal(TrapCode.Unreachable, e.Code);
        Assert.Equal("calc!func7", Names(e.Backtrace!).Split(" < ")[0]);
        Assert.Null(e.Backtrace!.Frames[0].FunctionName);
        Assert.Equal(7u, e.Backtrace.Frames[0].FunctionIndex);
    }

    [Fact]
    public void CaptureInsideHostFunctionSeesTheWasmCallers()
    {
        WasmBacktrace? seen = null;
        var (store, instance) = Instantiate(Wasm.Engine, (caller, _) => seen = WasmBacktrace.Capture(caller));
        using var _ = store;
        instance.GetFunction("viaHost")!.Call(1);
        Assert.Single(seen!.Frames);
        Assert.Equal(3u, seen.Frames[0].FunctionIndex);
    }

    [Fact]
    public void CaptureOutsideWasmIsEmpty()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        Assert.Empty(WasmBacktrace.Capture(store).Frames);
    }

    [Fact]
    public void HostExceptionKeepsItsTypeAndCarriesTheBacktrace()
    {
        var (store, instance) = Instantiate(Wasm.Engine, (_, _) => throw new InvalidOperationException("host failed"));
        using var _ = store;
        var e = Assert.Throws<InvalidOperationException>(() => instance.GetFunction("viaHost")!.Call(1));
        Assert.Equal("host failed", e.Message);
        var bt = WasmBacktrace.FromException(e)!;
        Assert.Single(bt.Frames);
        Assert.Equal(3u, bt.Frames[0].FunctionIndex);
    }

    [Fact]
    public void NestedHostAndWasmSegmentsAreWalkedThrough()
    {
        Instance? self = null;
        var (store, instance) = Instantiate(Wasm.Engine, (_, x) => self!.GetFunction("compute")!.Call(x));
        self = instance;
        using var _ = store;
        var e = Assert.Throws<TrapException>(() => instance.GetFunction("viaHost")!.Call(0));
        Assert.Equal(TrapCode.IntegerDivisionByZero, e.Code);
        Assert.Equal(new uint[] { 1, 2, 3 }, e.Backtrace!.Frames.Select(f => f.FunctionIndex));
    }

    [Fact]
    public void StackOverflowBacktraceKeepsBothEndsAndCountsTheMiddle()
    {
        var (store, instance) = Instantiate(Wasm.Engine);
        using var _ = store;
        var e = Assert.Throws<TrapException>(() => instance.GetFunction("rec")!.Call(0));
        Assert.Equal(TrapCode.StackOverflow, e.Code);
        var bt = e.Backtrace!;
        Assert.True(bt.OmittedFrames > 0);
        Assert.Equal(128, bt.Frames.Count);
        Assert.All(bt.Frames, f => Assert.Equal("rec", f.FunctionName));
        Assert.Contains($"... {bt.OmittedFrames} frames omitted ...", e.Message);
    }

    [Fact]
    public void ThousandsOfStackOverflowsInALoopLeaveTheProcessHealthy()
    {
        var (store, instance) = Instantiate(Wasm.Engine);
        using var _ = store;
        var rec = instance.GetFunction("rec")!;
        for (int i = 0; i < 2000; i++) Assert.Throws<TrapException>(() => rec.Call(0));
        Assert.Equal(TrapCode.IntegerDivisionByZero, Assert.Throws<TrapException>(() => instance.GetFunction("compute")!.Call(0)).Code);
    }

    [Fact]
    public void BacktracesOffMeansNoCaptureAndAPlainMessage()
    {
        var engine = new Engine(new Config { WasmBacktrace = false });
        var (store, instance) = Instantiate(engine);
        using var _ = store;
        var e = Assert.Throws<TrapException>(() => instance.GetFunction("compute")!.Call(0));
        Assert.Null(e.Backtrace);
        Assert.Equal("wasm trap: integer divide by zero", e.Message);
    }

    [Fact]
    public void AddressMapOffKeepsNamesButDropsOffsets()
    {
        var engine = new Engine(new Config { GenerateAddressMap = false });
        var (store, instance) = Instantiate(engine);
        using var _ = store;
        var e = Assert.Throws<TrapException>(() => instance.GetFunction("compute")!.Call(0));
        Assert.Equal("calc!div < calc!compute", Names(e.Backtrace!));
        Assert.All(e.Backtrace!.Frames, f => Assert.Null(f.ModuleOffset));
        Assert.Contains("    0: calc!div", e.Message);
    }

    [Fact]
    public void AddressMapOffEmitsNoMapEntries()
    {
        var with = Module.FromText(new Engine(), Calc).Compiled!.Compiled.AddressMap.Count;
        var without = Module.FromText(new Engine(new Config { GenerateAddressMap = false }), Calc).Compiled!.Compiled.AddressMap.Count;
        Assert.True(with > 10, $"{with} entries with the map on");
        Assert.Equal(0, without);
    }
}

/// <summary>Every trap code reports the trapping function and its caller, with the trapping operator's offset.</summary>
public class TrapSiteTests
{
    // Each body traps at the operator whose opcode bytes are given; "boom" is called by "outer".
    public static TheoryData<TrapCode, string, string> Sites() => new()
    {
        { TrapCode.Unreachable, "unreachable", "00" },
        { TrapCode.IntegerDivisionByZero, "i32.const 1 i32.const 0 i32.rem_u drop", "70" },
        { TrapCode.IntegerOverflow, "i64.const 0x8000000000000000 i64.const -1 i64.div_s drop", "7F" },
        { TrapCode.BadConversionToInteger, "f64.const nan i32.trunc_f64_s drop", "AA" },
        { TrapCode.MemoryOutOfBounds, "i32.const 65536 i32.load8_u drop", "2D" },
        { TrapCode.MemoryOutOfBounds, "i32.const 65000 i32.const 0 i32.const 1000 memory.fill", "FC0B" },
        { TrapCode.TableOutOfBounds, "i32.const 5 table.get 0 drop", "25" },
        { TrapCode.TableOutOfBounds, "i32.const 9 ref.null func i32.const 1 table.fill 0", "FC11" },
        { TrapCode.IndirectCallToNull, "i32.const 1 call_indirect (type $v)", "11" },
        { TrapCode.BadSignature, "i32.const 5 i32.const 0 call_indirect (type $i)", "11" },
        { TrapCode.UndefinedElement, "i32.const 7 call_indirect (type $v)", "11" },
        { TrapCode.StackOverflow, "call $boom", "" },
    };

    [Theory]
    [MemberData(nameof(Sites))]
    public void TrapReportsItsSite(TrapCode code, string body, string opcodeHex)
    {
        string wat = $"""
            (module $sites
              (type $v (func))
              (type $i (func (param i32)))
              (memory 1)
              (table 2 funcref)
              (elem (i32.const 0) $nop)
              (func $nop)
              (func $boom {body})
              (func $outer (export "outer") call $boom))
            """;
        var bytes = Module.ConvertText(wat);
        var info = Sharptime.Format.ModuleParser.Parse(bytes);
        using var store = new Store<int>(Wasm.Engine, 0);
        var instance = new Linker<int>(Wasm.Engine).Instantiate(store, Module.FromBytes(Wasm.Engine, bytes));

        var e = Assert.Throws<TrapException>(() => instance.GetFunction("outer")!.Call());

        Assert.Equal(code, e.Code);
        var frames = e.Backtrace!.Frames;
        Assert.Equal("boom", frames[0].FunctionName);
        Assert.Equal(1u, frames[0].FunctionIndex);
        if (code == TrapCode.StackOverflow)
        {
            Assert.Equal(info.FunctionBodies[1].Offset, frames[0].ModuleOffset);   // the check at function entry
            return;
        }
        var boom = info.FunctionBodies[1];
        int at = bytes.AsSpan(boom.Offset, boom.Length).LastIndexOf(Convert.FromHexString(opcodeHex));
        Assert.Equal(boom.Offset + at, frames[0].ModuleOffset);
        Assert.Equal(at, frames[0].FunctionOffset);
        Assert.Equal(["boom", "outer"], frames.Select(f => f.FunctionName));
    }
}
