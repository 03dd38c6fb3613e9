using Sharptime.Wast;

namespace Sharptime.SpecTests;

/// <summary>The script runner's own judgements, on small inline scripts.</summary>
public sealed class WastRunnerTests
{
    private static WastFileResult Run(string script, TextWriter? print = null) =>
        new WastRunner(print).RunText(script, "t.wast");

    private static WastCommandResult At(WastFileResult result, int line) => result.Results.Single(r => r.Line == line);

    [Fact]
    public void ModuleJudgementsNeedTheRightRejection()
    {
        var result = Run("""
            (assert_invalid (module (func (result i32) (i64.const 0))) "type mismatch")
            (assert_malformed (module binary "") "unexpected end")
            (assert_malformed (module quote "(func (i32.nope))") "unknown operator")
            (assert_invalid (module (func)) "type mismatch")
            (assert_malformed (module (func)) "whatever")
            """);

        Assert.Equal([WastOutcome.Passed, WastOutcome.Passed, WastOutcome.Passed, WastOutcome.Failed, WastOutcome.Failed],
            result.Results.Select(r => r.Outcome));
        Assert.Equal("t.wast:4: assert_invalid: expected an invalid module (\"type mismatch\"), but it was accepted", At(result, 4).ToString());
    }

    [Fact]
    public void RegisteredInstancesAreImportableAndNamedModulesAddressable()
    {
        var result = Run("""
            (module $A (global (export "g") i32 (i32.const 7)) (memory (export "m") 1))
            (register "a")
            (module $B (import "a" "g" (global $g i32)) (import "a" "m" (memory 1))
              (import "spectest" "print" (func))
              (import "spectest" "global_i64" (global i64)) (import "spectest" "table" (table 10 20 funcref))
              (global (export "h") i32 (global.get $g)))
            (assert_return (get "h") (i32.const 7))
            (assert_return (get $A "g") (i32.const 7))
            (assert_unlinkable (module (import "a" "nope" (func))) "unknown import")
            (assert_unlinkable (module (import "spectest" "memory" (memory 3))) "incompatible import type")
            (assert_return (get $C "g") (i32.const 7))
            (assert_return (get "g") (i32.const 7))
            """);

        Assert.Equal(7, result.Passed);
        Assert.Equal(2, result.Failed);
        Assert.Equal("unknown module $C", At(result, 11).Message);
        Assert.Equal("no exported global \"g\"", At(result, 12).Message);
    }

    [Fact]
    public void ExternRefsWithTheSameNumberAreTheSameObject()
    {
        var result = Run("""
            (module (func (export "id") (param externref) (result externref) (local.get 0)))
            (assert_return (invoke "id" (ref.extern 1)) (ref.extern 1))
            (assert_return (invoke "id" (ref.null extern)) (ref.null extern))
            (assert_return (invoke "id" (ref.extern 3)) (ref.extern))
            (assert_return (invoke "id" (ref.extern 1)) (ref.extern 2))
            """);

        Assert.Equal(4, result.Passed);
        Assert.Equal("expected externref:2, got externref:1", At(result, 5).Message);
    }

    [Fact]
    public void TrapsAreMatchedByTheirSpecText()
    {
        var result = Run("""
            (module (table 1 funcref)
              (func (export "null") (call_indirect (i32.const 0)))
              (func (export "div") (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))
              (func $f (export "loop") (call $f)))
            (assert_trap (invoke "null") "uninitialized element 2")
            (assert_trap (invoke "div" (i32.const 0)) "integer divide by zero")
            (assert_trap (invoke "div" (i32.const 0)) "integer overflow")
            (assert_trap (invoke "div" (i32.const 1)) "integer divide by zero")
            (assert_exhaustion (invoke "loop") "call stack exhausted")
            (assert_return (invoke "div" (i32.const 1)) (i32.const 1))
            (assert_trap (module (memory 1) (data (i32.const 65536) "x")) "out of bounds memory access")
            (assert_uninstantiable (module (func $s unreachable) (start $s)) "unreachable")
            """);

        Assert.Equal([WastOutcome.Passed, WastOutcome.Passed, WastOutcome.Passed, WastOutcome.Failed, WastOutcome.Failed,
                WastOutcome.Passed, WastOutcome.Passed, WastOutcome.Passed, WastOutcome.Passed],
            result.Results.Select(r => r.Outcome));
        Assert.StartsWith("expected trap \"integer overflow\", got trap", At(result, 7).Message);
        Assert.Equal("expected trap \"integer divide by zero\", but nothing trapped", At(result, 8).Message);
    }

    [Fact]
    public void SpectestPrintsLikeTheReferenceInterpreter()
    {
        var print = new StringWriter();
        var result = Run("""
            (module (import "spectest" "print_i32" (func $p (param i32))) (import "spectest" "print" (func $q))
              (func (export "go") (call $p (i32.const 42)) (call $q)))
            (invoke "go")
            """, print);

        Assert.Equal(2, result.Passed);
        Assert.Equal("42 : i32\n", print.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void ComponentsAndV128AreSkippedWithAReason()
    {
        var result = Run("""
            (component)
            (module (func (export "v") (param v128) (result v128) (local.get 0)))
            (assert_return (invoke "v" (v128.const i32x4 1 2 3 4)) (v128.const i32x4 1 2 3 4))
            """);

        Assert.Equal(0, result.Failed);
        Assert.Equal(WastOutcome.Skipped, At(result, 1).Outcome);
        Assert.Equal(WastOutcome.Skipped, At(result, 3).Outcome);
        Assert.Contains("v128", At(result, 3).Message);
    }

    [Fact]
    public void AScriptThatDoesNotParseIsOneFailure()
    {
        var result = Run("(module");

        Assert.Equal(1, result.Failed);
        Assert.StartsWith("script does not parse", result.Results[0].Message);
    }
}
