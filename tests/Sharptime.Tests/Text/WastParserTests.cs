using Sharptime.Format;
using Sharptime.Text;

namespace Sharptime.Tests.Text;

public class WastParserTests
{
    [Fact]
    public void ParsesModulesRegisterAndActionsWithLines()
    {
        var script = WastScript.Parse(
            "(module $m (func (export \"f\") (param i32) (result i32) local.get 0))\n" +
            "(register \"reg\" $m)\n" +
            "(invoke $m \"f\" (i32.const 7))\n" +
            "(assert_return (invoke \"f\" (i32.const -1)) (i32.const -1))\n" +
            "(assert_return (get \"g\"))\n", "s.wast");
        Assert.Equal(5, script.Commands.Count);
        var module = Assert.IsType<WastModuleCommand>(script.Commands[0]);
        Assert.Equal("m", module.Module.Name);
        Assert.Equal(WastModuleKind.Text, module.Module.Kind);
        Assert.NotEmpty(module.Module.Encode());
        var register = Assert.IsType<WastRegister>(script.Commands[1]);
        Assert.Equal(("reg", "m", 2), (register.As, register.ModuleName, register.Line));
        var invoke = Assert.IsType<WastInvoke>(Assert.IsType<WastActionCommand>(script.Commands[2]).Action);
        Assert.Equal("m", invoke.ModuleName);
        Assert.Equal(7, invoke.Args[0].I32);
        var ret = Assert.IsType<WastAssertReturn>(script.Commands[3]);
        Assert.Equal(4, ret.Line);
        Assert.Equal(-1, ret.Expected[0].I32);
        Assert.IsType<WastGet>(Assert.IsType<WastAssertReturn>(script.Commands[4]).Action);
    }

    [Fact]
    public void TextModuleNameGoesIntoTheNameSection()
    {
        var script = WastScript.Parse("(module $named (func $f))");
        var bytes = Assert.IsType<WastModuleCommand>(script.Commands[0]).Module.Encode();
        Assert.True(bytes.AsSpan().IndexOf("\u0005named"u8) >= 0, "module name missing from the name section");
    }

    [Fact]
    public void BinaryModuleKeepsItsBytes()
    {
        var script = WastScript.Parse("(module $b binary \"\\00asm\" \"\\01\\00\\00\\00\")");
        var m = Assert.IsType<WastModuleCommand>(script.Commands[0]).Module;
        Assert.Equal(WastModuleKind.Binary, m.Kind);
        Assert.Equal("b", m.Name);
        Assert.Equal(new byte[] { 0, 0x61, 0x73, 0x6D, 1, 0, 0, 0 }, m.Encode());
    }

    [Fact]
    public void MalformedQuoteFailsOnlyWhenEncoded()
    {
        var script = WastScript.Parse("(assert_malformed (module quote \"(func (i32.const\" \" 0x1_0000_0000))\") \"constant out of range\")\n(module)");
        Assert.Equal(2, script.Commands.Count);
        var am = Assert.IsType<WastAssertMalformed>(script.Commands[0]);
        Assert.Equal(WastModuleKind.Quote, am.Module.Kind);
        Assert.Equal("constant out of range", am.Message);
        Assert.Equal("(func (i32.const 0x1_0000_0000))", System.Text.Encoding.UTF8.GetString(am.Module.QuotedText));
        var e = Assert.Throws<MalformedModuleException>(() => am.Module.Encode());
        Assert.Contains("constant out of range", e.Reason);
    }

    [Fact]
    public void MalformedTextModuleInsideAnAssertionDoesNotAbortTheScript()
    {
        var script = WastScript.Parse("(assert_malformed (module (func (i32.bogus))) \"unknown operator\")");
        var am = Assert.IsType<WastAssertMalformed>(script.Commands[0]);
        Assert.Throws<MalformedModuleException>(() => am.Module.Encode());
    }

    [Fact]
    public void ExpectedFloatsMayBeNanPatterns()
    {
        var script = WastScript.Parse("(assert_return (invoke \"f\") (f32.const nan:canonical) (f64.const nan:arithmetic) (f32.const -nan:0x1))");
        var expected = Assert.IsType<WastAssertReturn>(script.Commands[0]).Expected;
        Assert.Equal((ValType.F32, NanPattern.Canonical), (expected[0].Type, expected[0].Nan));
        Assert.Equal((ValType.F64, NanPattern.Arithmetic), (expected[1].Type, expected[1].Nan));
        Assert.Equal((NanPattern.None, 0xFF800001u), (expected[2].Nan, expected[2].F32Bits));
    }

    [Fact]
    public void NanPatternsAreNotAllowedAsArguments()
    {
        Assert.Throws<MalformedModuleException>(() => WastScript.Parse("(invoke \"f\" (f32.const nan:canonical))"));
    }

    [Fact]
    public void V128ValuesKeepBytesShapeAndPerLaneNanPatterns()
    {
        var script = WastScript.Parse("(assert_return (invoke \"f\") (v128.const f32x4 1.0 nan:canonical -0 nan:arithmetic))");
        var v = Assert.IsType<WastAssertReturn>(script.Commands[0]).Expected[0];
        Assert.Equal(ValType.V128, v.Type);
        Assert.Equal(V128Shape.F32x4, v.Shape);
        Assert.Equal(NanPattern.None, v.LaneNan(0));
        Assert.Equal(NanPattern.Canonical, v.LaneNan(1));
        Assert.Equal(NanPattern.None, v.LaneNan(2));
        Assert.Equal(NanPattern.Arithmetic, v.LaneNan(3));
        Span<byte> bytes = stackalloc byte[16];
        v.WriteV128(bytes);
        Assert.Equal(new byte[] { 0, 0, 0x80, 0x3F, 0, 0, 0, 0, 0, 0, 0, 0x80, 0, 0, 0, 0 }, bytes.ToArray());
    }

    [Fact]
    public void V128IntegerLanes()
    {
        var script = WastScript.Parse("(invoke \"f\" (v128.const i64x2 -1 0x0102030405060708))");
        var v = Assert.IsType<WastInvoke>(Assert.IsType<WastActionCommand>(script.Commands[0]).Action).Args[0];
        Assert.Equal((ulong.MaxValue, 0x0102030405060708UL, V128Shape.I64x2), (v.Low, v.High, v.Shape));
    }

    [Fact]
    public void ReferenceValues()
    {
        var script = WastScript.Parse("(assert_return (invoke \"f\" (ref.extern 42) (ref.null func)) (ref.null extern) (ref.extern 42) (ref.func) (ref.extern))");
        var r = Assert.IsType<WastAssertReturn>(script.Commands[0]);
        var args = ((WastInvoke)r.Action).Args;
        Assert.Equal((ValType.ExternRef, 42UL, false), (args[0].Type, args[0].Low, args[0].IsNull));
        Assert.Equal((ValType.FuncRef, true), (args[1].Type, args[1].IsNull));
        Assert.True(r.Expected[0].IsNull);
        Assert.Equal(42UL, r.Expected[1].Low);
        Assert.True(r.Expected[2].IsAnyRef);
        Assert.Equal(ValType.ExternRef, r.Expected[3].Type);
        Assert.True(r.Expected[3].IsAnyRef);
    }

    [Fact]
    public void AssertionsCarryTheirModuleOrActionAndMessage()
    {
        var script = WastScript.Parse(
            "(assert_trap (invoke \"t\") \"unreachable\")\n" +
            "(assert_trap (module (func $s unreachable) (start $s)) \"unreachable\")\n" +
            "(assert_exhaustion (invoke \"r\") \"call stack exhausted\")\n" +
            "(assert_invalid (module (func (result i32))) \"type mismatch\")\n" +
            "(assert_unlinkable (module (import \"x\" \"y\" (func))) \"unknown import\")\n" +
            "(assert_uninstantiable (module (func $s unreachable) (start $s)) \"unreachable\")\n");
        var trap = Assert.IsType<WastAssertTrap>(script.Commands[0]);
        Assert.NotNull(trap.Action);
        Assert.Equal("unreachable", trap.Message);
        var moduleTrap = Assert.IsType<WastAssertTrap>(script.Commands[1]);
        Assert.Null(moduleTrap.Action);
        Assert.NotNull(moduleTrap.Module);
        Assert.Equal(2, moduleTrap.Line);
        Assert.IsType<WastAssertExhaustion>(script.Commands[2]);
        Assert.NotEmpty(Assert.IsType<WastAssertInvalid>(script.Commands[3]).Module.Encode());
        Assert.IsType<WastAssertUnlinkable>(script.Commands[4]);
        Assert.IsType<WastAssertUninstantiable>(script.Commands[5]);
    }

    [Fact]
    public void ScriptOfBareFieldsIsOneModule()
    {
        var script = WastScript.Parse("(func) (memory 0) (func (export \"f\"))");
        var m = Assert.IsType<WastModuleCommand>(Assert.Single(script.Commands)).Module;
        Assert.Equal(Wat.ToBinary("(module (func) (memory 0) (func (export \"f\")))"), m.Encode());
    }

    [Fact]
    public void QuotedModuleMayItselfBeWrappedInModule()
    {
        var script = WastScript.Parse("(module quote \"(module (func))\")");
        Assert.NotEmpty(Assert.IsType<WastModuleCommand>(script.Commands[0]).Module.Encode());
    }

    [Theory]
    [InlineData("(bogus)")]
    [InlineData("(assert_return (invoke \"f\") (i32.const 1)")]
    [InlineData("(invoke \"f\" (i32.const x))")]
    [InlineData("(register)")]
    [InlineData("(module")]
    public void MalformedScriptsThrowMalformedModuleException(string text)
    {
        Assert.Throws<MalformedModuleException>(() => WastScript.Parse(text));
    }

    private static WastValue Expected(string value) =>
        ((WastAssertReturn)WastScript.Parse($"(assert_return (invoke \"f\") {value})").Commands[0]).Expected[0];

    private static byte[] Slot(ulong low, ulong high = 0)
    {
        var slot = new byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(slot, low);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(slot.AsSpan(8), high);
        return slot;
    }

    [Fact]
    public void MatchesExactNumbers()
    {
        Assert.True(Expected("(i32.const -1)").MatchesNumeric(Slot(0xFFFF_FFFF)));
        Assert.False(Expected("(i64.const -1)").MatchesNumeric(Slot(0xFFFF_FFFF)));
        Assert.True(Expected("(f32.const -0)").MatchesNumeric(Slot(0x8000_0000)));
        Assert.False(Expected("(f32.const 0)").MatchesNumeric(Slot(0x8000_0000)));
        Assert.True(Expected("(f64.const nan:0x4)").MatchesNumeric(Slot(0x7FF0_0000_0000_0004)));
    }

    [Fact]
    public void MatchesNanPatterns()
    {
        var canonical = Expected("(f32.const nan:canonical)");
        Assert.True(canonical.MatchesNumeric(Slot(0x7FC0_0000)));
        Assert.True(canonical.MatchesNumeric(Slot(0xFFC0_0000)));
        Assert.False(canonical.MatchesNumeric(Slot(0x7FC0_0001)));
        var arithmetic = Expected("(f64.const nan:arithmetic)");
        Assert.True(arithmetic.MatchesNumeric(Slot(0xFFF8_0000_0000_0001)));
        Assert.False(arithmetic.MatchesNumeric(Slot(0x7FF0_0000_0000_0001)));
    }

    [Fact]
    public void MatchesV128LanesWithNanPatterns()
    {
        var v = Expected("(v128.const f64x2 1.0 nan:canonical)");
        Assert.True(v.MatchesNumeric(Slot(0x3FF0_0000_0000_0000, 0xFFF8_0000_0000_0000)));
        Assert.False(v.MatchesNumeric(Slot(0x3FF0_0000_0000_0001, 0xFFF8_0000_0000_0000)));
        Assert.False(v.MatchesNumeric(Slot(0x3FF0_0000_0000_0000, 0x7FF8_0000_0000_0001)));
        Assert.True(Expected("(v128.const i32x4 1 2 3 4)").MatchesNumeric(Slot(0x0000_0002_0000_0001, 0x0000_0004_0000_0003)));
    }

    [Fact]
    public void LexicalErrorInsideATextModuleFailsOnlyThatModule()
    {
        var script = WastScript.Parse(
            "(assert_malformed (module (data $l\"a b\")) \"unknown operator\")\n" +
            "(assert_malformed (module (data \"\\q\")) \"unknown escape\")\n" +
            "(module $ok (func))");
        Assert.Equal(3, script.Commands.Count);
        var reserved = Assert.Throws<MalformedModuleException>(() => ((WastAssertMalformed)script.Commands[0]).Module.Encode());
        Assert.Contains("unknown operator", reserved.Reason);
        Assert.Equal(1, reserved.Line);
        var escape = Assert.Throws<MalformedModuleException>(() => ((WastAssertMalformed)script.Commands[1]).Module.Encode());
        Assert.Contains("escape", escape.Reason);
        Assert.Equal(2, escape.Line);
        Assert.NotEmpty(((WastModuleCommand)script.Commands[2]).Module.Encode());
    }

    [Fact]
    public void UnclosedStringInAScriptIsReportedAsSuch()
    {
        var e = Assert.Throws<MalformedModuleException>(() => WastScript.Parse("(module)\n(module (data \"abc))"));
        Assert.Contains("unclosed string", e.Reason);
    }

    [Fact]
    public void UnclosedCommentIsReportedWhereItStarts()
    {
        var e = Assert.Throws<MalformedModuleException>(() => WastScript.Parse("(module)\n  (; never\n closed"));
        Assert.Contains("unclosed block comment", e.Reason);
        Assert.Equal((2, 3), (e.Line, e.Column));
    }
}
