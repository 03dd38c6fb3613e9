namespace Sharptime.Tests.Compiler;

public class BaselineCompilerTests
{
    private static int RunI32(string body, string name = "f", params long[] args)
    {
        using var jit = new JitHarness(body);
        return jit.CallI32(name, args);
    }

    [Fact]
    public void AddsTwoParameters() =>
        Assert.Equal(7, RunI32("(module (func (export \"f\") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))", "f", 3, 4));

    [Fact]
    public void LoopsComputeFactorial() => Assert.Equal(3628800, RunI32("""
        (module (func (export "f") (param i32) (result i32) (local i32)
          i32.const 1 local.set 1
          block loop
            local.get 0 i32.eqz br_if 1
            local.get 1 local.get 0 i32.mul local.set 1
            local.get 0 i32.const 1 i32.sub local.set 0
            br 0
          end end
          local.get 1))
        """, "f", 10));

    [Fact]
    public void RecursionCallsDirectly() => Assert.Equal(55, RunI32("""
        (module (func $fib (export "f") (param i32) (result i32)
          local.get 0 i32.const 2 i32.lt_u
          if (result i32) local.get 0
          else local.get 0 i32.const 1 i32.sub call $fib local.get 0 i32.const 2 i32.sub call $fib i32.add end))
        """, "f", 10));

    [Fact]
    public void DivisionByZeroTraps()
    {
        using var jit = new JitHarness("(module (func (export \"f\") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s))");
        var e = Assert.Throws<TrapException>(() => jit.Call("f", 1, 0));
        Assert.Equal(TrapCode.IntegerDivisionByZero, e.Code);
        Assert.Equal(-3, jit.CallI32("f", -7, 2));
    }

    [Fact]
    public void InfiniteRecursionTrapsWithStackOverflow()
    {
        using var jit = new JitHarness("(module (func $f (export \"f\") call $f))");
        Assert.Equal(TrapCode.StackOverflow, Assert.Throws<TrapException>(() => jit.Call("f")).Code);
    }

    [Fact]
    public void MemoryLoadsAndStoresRoundTrip()
    {
        using var jit = new JitHarness("""
            (module (memory 1)
              (func (export "f") (param i32 i32) (result i32) local.get 0 local.get 1 i32.store local.get 0 i32.load8_u)
              (func (export "oob") (result i32) i32.const 65534 i32.load))
            """);
        Assert.Equal(0x78, jit.CallI32("f", 100, 0x12345678));
        Assert.Equal(0x12345678, BitConverter.ToInt32(jit.Memory[100..104]));
        Assert.Equal(TrapCode.MemoryOutOfBounds, Assert.Throws<TrapException>(() => jit.Call("oob")).Code);
    }

    [Fact]
    public void BrTableJumpsThroughTheTable() => Assert.Equal(new[] { 10, 11, 12, 13, 13 }, Enumerable.Range(0, 5).Select(i => RunI32("""
        (module (func (export "f") (param i32) (result i32)
          block block block block
            local.get 0 br_table 0 1 2 3
          end i32.const 10 return
          end i32.const 11 return
          end i32.const 12 return
          end i32.const 13))
        """, "f", i)).ToArray());

    [Fact]
    public void MultiValueBlocksAndIfWithParameters() => Assert.Equal(5, RunI32("""
        (module (func (export "f") (param i32) (result i32)
          i32.const 2 i32.const 3
          local.get 0
          if (param i32 i32) (result i32) i32.add else i32.sub end))
        """, "f", 1));

    [Fact]
    public void I64ArithmeticAndShifts() => Assert.Equal(unchecked((long)0xF000000000000001UL >> 4), RunI64("""
        (module (func (export "f") (param i64 i64) (result i64) local.get 0 local.get 1 i64.shr_s))
        """, unchecked((long)0xF000000000000001UL), 4));

    private static long RunI64(string wat, params long[] args)
    {
        using var jit = new JitHarness(wat);
        return jit.CallI64("f", args);
    }
}
