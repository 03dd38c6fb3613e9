using static Sharptime.Tests.Text.WatTestHelpers;

namespace Sharptime.Tests.Text;

public class WatEncoderTests
{
    [Fact]
    public void EmptyModuleIsJustTheHeader()
    {
        Assert.Equal(new byte[] { 0, 0x61, 0x73, 0x6D, 1, 0, 0, 0 }, Encode("(module)"));
    }

    [Fact]
    public void BareFieldsFormAModule()
    {
        Assert.Equal(Encode("(module (func) (memory 0))"), Encode("(func) (memory 0)"));
    }

    [Fact]
    public void EncodesAFunctionWithTypeAndCode()
    {
        var m = Encode("(module (func (param i32) (result i32) local.get 0))");
        Assert.Equal(new byte[] { 1, 0x60, 1, 0x7F, 1, 0x7F }, Section(m, 1));
        Assert.Equal(new byte[] { 1, 0 }, Section(m, 3));
        Assert.Equal(new byte[] { 0x20, 0, 0x0B }, Body(m));
    }

    [Fact]
    public void InlineTypeUsesReuseAnEqualExistingType()
    {
        var m = Encode("(module (type (func (param i32))) (func (param i32)) (func (param i32)) (func (result f64) (f64.const 0)))");
        Assert.Equal(new byte[] { 2, 0x60, 1, 0x7F, 0, 0x60, 0, 1, 0x7C }, Section(m, 1));
        Assert.Equal(new byte[] { 3, 0, 0, 1 }, Section(m, 3));
    }

    [Fact]
    public void TypeDefinedLaterIsReusedByEarlierInlineUse()
    {
        var m = Encode("(module (func (param i64)) (type $t (func (param i64))))");
        Assert.Equal(new byte[] { 1, 0x60, 1, 0x7E, 0 }, Section(m, 1));
    }

    [Fact]
    public void InlineSignatureMustMatchExplicitType()
    {
        var e = Malformed("(module (type $t (func (param i32))) (func (type $t) (param i64)))");
        Assert.Contains("inline function type", e.Reason);
    }

    [Fact]
    public void ExplicitTypeWithMatchingInlineSignatureBindsParameterNames()
    {
        var m = Encode("(module (type $t (func (param i32))) (func (type $t) (param $x i32) local.get $x))");
        Assert.Equal(new byte[] { 0x20, 0, 0x0B }, Body(m));
    }

    [Fact]
    public void FoldedAndPlainInstructionsEncodeIdentically()
    {
        var folded = Encode("(module (func (result i32) (i32.add (i32.const 1) (i32.mul (i32.const 2) (i32.const 3)))))");
        var plain = Encode("(module (func (result i32) i32.const 1 i32.const 2 i32.const 3 i32.mul i32.add))");
        Assert.Equal(plain, folded);
    }

    [Fact]
    public void FoldedIfPutsConditionBeforeTheIf()
    {
        var m = Encode("(module (func (result i32) (if (result i32) (i32.const 1) (then (i32.const 2)) (else (i32.const 3)))))");
        Assert.Equal(new byte[] { 0x41, 1, 0x04, 0x7F, 0x41, 2, 0x05, 0x41, 3, 0x0B, 0x0B }, Body(m));
    }

    [Fact]
    public void LabelsResolveToRelativeDepthWithShadowing()
    {
        var m = Encode("(module (func block $a block $b br $a br $b end block $a br $a end end))");
        Assert.Equal(new byte[] { 0x02, 0x40, 0x02, 0x40, 0x0C, 1, 0x0C, 0, 0x0B, 0x02, 0x40, 0x0C, 0, 0x0B, 0x0B, 0x0B }, Body(m));
    }

    [Fact]
    public void LabelOfIfIsNotInScopeInItsFoldedCondition()
    {
        var m = Encode("(module (func block $l (if $l (br_if $l (i32.const 1)) (then br $l)) end))");
        // br_if $l in the condition targets the outer block (depth 0), br $l in then targets the if (depth 0).
        Assert.Equal(new byte[] { 0x02, 0x40, 0x41, 1, 0x0D, 0, 0x04, 0x40, 0x0C, 0, 0x0B, 0x0B, 0x0B }, Body(m));
    }

    [Fact]
    public void RepeatedLabelAfterEndMustMatch()
    {
        Encode("(module (func block $a end $a loop $b end $b if $c else $c end $c))".Replace("if $c", "i32.const 0 if $c"));
        Assert.Contains("mismatching label", Malformed("(module (func block $a end $b))").Reason);
        Assert.Contains("mismatching label", Malformed("(module (func block end $a))").Reason);
    }

    [Fact]
    public void BrTableTakesLabelListAndDefault()
    {
        var m = Encode("(module (func (block $a (block $b (br_table $a $b 0 (i32.const 0))))))");
        Assert.Equal(new byte[] { 0x02, 0x40, 0x02, 0x40, 0x41, 0, 0x0E, 2, 1, 0, 0, 0x0B, 0x0B, 0x0B }, Body(m));
    }

    [Theory]
    [InlineData("(module (func br $nope))", "unknown label")]
    [InlineData("(module (func local.get $x))", "unknown local")]
    [InlineData("(module (func call $f))", "unknown function")]
    [InlineData("(module (func global.get $g))", "unknown global")]
    [InlineData("(module (func (type $t)))", "unknown type")]
    [InlineData("(module (func i32.frobnicate))", "unknown operator")]
    [InlineData("(module (func $f) (func $f))", "duplicate function")]
    [InlineData("(module (func (param $x i32) (local $x i32)))", "duplicate local")]
    [InlineData("(module (global $g i32 (i32.const 0)) (global $g i32 (i32.const 0)))", "duplicate global")]
    [InlineData("(module (func) (import \"a\" \"b\" (func)))", "import after function")]
    [InlineData("(module (memory 0) (import \"a\" \"b\" (global i32)))", "import after memory")]
    [InlineData("(module (func (i32.const 4294967296)))", "constant out of range")]
    [InlineData("(module (start 0) (start 0) (func))", "multiple start sections")]
    public void ReportsMalformedText(string text, string reason)
    {
        Assert.Contains(reason, Malformed(text).Reason);
    }

    [Fact]
    public void NumericIndicesAreNotCheckedByTheEncoder()
    {
        // Out-of-range numeric indices are a validation matter, not a text error.
        Encode("(module (func call 7 local.get 9 global.get 3))");
    }

    [Fact]
    public void InlineExportsAndImportsMatchExplicitFields()
    {
        var inline = Encode("(module (func $i (import \"m\" \"f\") (param i32)) (func $g (export \"g\")) (memory (export \"mem\") 1) (global (export \"gl\") i32 (i32.const 5)))");
        var explicitForm = Encode("(module (type (func (param i32))) (import \"m\" \"f\" (func $i (type 0))) (func $g (type 1)) (memory 1) (global i32 (i32.const 5)) (type (func)) (export \"g\" (func $g)) (export \"mem\" (memory 0)) (export \"gl\" (global 0)))");
        Assert.Equal(StripCustom(explicitForm), StripCustom(inline));
    }

    [Fact]
    public void MemoryDataAbbreviationSizesMemoryAndAddsActiveSegment()
    {
        var m = Encode("(module (memory (data \"ab\" \"c\")))");
        Assert.Equal(new byte[] { 1, 0x01, 1, 1 }, Section(m, 5));
        Assert.Equal(new byte[] { 1, 0x00, 0x41, 0, 0x0B, 3, (byte)'a', (byte)'b', (byte)'c' }, Section(m, 11));
    }

    [Fact]
    public void TableElemAbbreviationSizesTableAndAddsActiveSegment()
    {
        var m = Encode("(module (func $f) (func $g) (table funcref (elem $g $f $g)))");
        Assert.Equal(new byte[] { 1, 0x70, 0x01, 3, 3 }, Section(m, 4));
        Assert.Equal(new byte[] { 1, 0x00, 0x41, 0, 0x0B, 3, 1, 0, 1 }, Section(m, 9));
    }

    [Fact]
    public void ElemSegmentsUseTheMatchingBinaryForm()
    {
        var m = Encode("(module (table $t 1 funcref) (table $u 1 externref) (func $f)" +
                       " (elem (i32.const 0) $f)" +                          // 0: legacy active
                       " (elem func $f)" +                                   // 1: passive indices
                       " (elem (table $u) (i32.const 0) externref (ref.null extern))" + // 6: active, table 1, exprs
                       " (elem declare funcref (ref.func $f))" +             // 7: declarative exprs
                       " (elem (offset (i32.const 0)) funcref (item ref.func $f)))"); // 4: active table 0 exprs
        byte[] expected =
        [
            5,
            0x00, 0x41, 0, 0x0B, 1, 0,
            0x01, 0x00, 1, 0,
            0x06, 1, 0x41, 0, 0x0B, 0x6F, 1, 0xD0, 0x6F, 0x0B,
            0x07, 0x70, 1, 0xD2, 0, 0x0B,
            0x04, 0x41, 0, 0x0B, 1, 0xD2, 0, 0x0B,
        ];
        Assert.Equal(expected, Section(m, 9));
    }

    [Fact]
    public void DataSegmentsActiveWithMemoryAndPassive()
    {
        var m = Encode("(module (memory $a 1) (memory $b 1) (data (memory $b) (offset (i32.const 8)) \"x\") (data \"y\"))");
        Assert.Equal(new byte[] { 2, 0x02, 1, 0x41, 8, 0x0B, 1, (byte)'x', 0x01, 1, (byte)'y' }, Section(m, 11));
    }

    [Fact]
    public void DataCountSectionIsEmittedWhenBulkMemoryNeedsIt()
    {
        var m = Encode("(module (memory 1) (data $d \"x\") (func (data.drop $d)))");
        Assert.Equal(new byte[] { 1 }, Section(m, 12));
        Assert.Null(Section(Encode("(module (memory 1) (data \"x\"))"), 12));
    }

    [Fact]
    public void MemargDefaultsToNaturalAlignment()
    {
        var m = Encode("(module (memory 1) (func (drop (i64.load (i32.const 0))) (drop (i32.load8_u offset=0x10 align=1 (i32.const 0)))))");
        Assert.Equal(new byte[] { 0x41, 0, 0x29, 3, 0, 0x1A, 0x41, 0, 0x2D, 0, 0x10, 0x1A, 0x0B }, Body(m));
    }

    [Theory]
    [InlineData("align=3")]
    [InlineData("align=0")]
    [InlineData("align=7")]
    public void MemargAlignmentMustBeAPowerOfTwo(string align)
    {
        Malformed($"(module (memory 1) (func (drop (i32.load {align} (i32.const 0)))))");
    }

    [Fact]
    public void MemargOffsetMustFitIn32Bits()
    {
        Malformed("(module (memory 1) (func (drop (i32.load offset=4294967296 (i32.const 0)))))");
    }

    [Fact]
    public void CallIndirectTakesTableThenTypeUse()
    {
        var m = Encode("(module (type $ft (func (param i32))) (table $a 0 funcref) (table $b 0 funcref)" +
                       " (func (call_indirect $b (type $ft) (i32.const 1) (i32.const 0)) (call_indirect (param i32) (i32.const 1) (i32.const 0))))");
        Assert.Equal(new byte[] { 0x41, 1, 0x41, 0, 0x11, 0, 1, 0x41, 1, 0x41, 0, 0x11, 0, 0, 0x0B }, Body(m));
    }

    [Fact]
    public void CallIndirectRejectsNamedParameters()
    {
        Malformed("(module (table 0 funcref) (func (call_indirect (param $x i32) (i32.const 0) (i32.const 0))))");
    }

    [Fact]
    public void TypedSelectUsesOpcode1C()
    {
        var m = Encode("(module (func (param i32) (result i64) (select (result i64) (i64.const 1) (i64.const 2) (local.get 0))))");
        Assert.Equal(new byte[] { 0x42, 1, 0x42, 2, 0x20, 0, 0x1C, 1, 0x7E, 0x0B }, Body(m));
    }

    [Fact]
    public void BlockTypesWithParamsCreateImplicitTypes()
    {
        var m = Encode("(module (func (param i32) (result i32) (local.get 0) (block (param i32) (result i32))))");
        Assert.Equal(new byte[] { 0x20, 0, 0x02, 0, 0x0B, 0x0B }, Body(m));
    }

    [Fact]
    public void BulkTableInstructionsTakeTwoIndices()
    {
        var m = Encode("(module (table $a 1 funcref) (table $b 1 funcref) (elem $e func) (func" +
                       " (table.copy $a $b (i32.const 0) (i32.const 0) (i32.const 0))" +
                       " (table.init $b $e (i32.const 0) (i32.const 0) (i32.const 0))" +
                       " (table.init $e (i32.const 0) (i32.const 0) (i32.const 0))))");
        byte[] zeros = [0x41, 0, 0x41, 0, 0x41, 0];
        byte[] expected = [.. zeros, 0xFC, 14, 0, 1, .. zeros, 0xFC, 12, 0, 1, .. zeros, 0xFC, 12, 0, 0, 0x0B];
        Assert.Equal(expected, Body(m));
    }

    [Fact]
    public void RefNullAndRefFunc()
    {
        var m = Encode("(module (func $f (result funcref) (drop (ref.null extern)) (ref.func $f)) (elem declare func $f))");
        Assert.Equal(new byte[] { 0xD0, 0x6F, 0x1A, 0xD2, 0, 0x0B }, Body(m));
    }

    [Fact]
    public void V128ConstEncodesLanesLittleEndian()
    {
        var m = Encode("(module (func (result v128) (v128.const i16x8 -1 0 1 0x7fff -32768 65535 2 3)))");
        byte[] expected = [0xFD, 12, 0xFF, 0xFF, 0, 0, 1, 0, 0xFF, 0x7F, 0, 0x80, 0xFF, 0xFF, 2, 0, 3, 0, 0x0B];
        Assert.Equal(expected, Body(m));
    }

    [Fact]
    public void V128ConstFloatLanes()
    {
        var m = Encode("(module (func (result v128) (v128.const f32x4 1 -0 nan:0x1 inf)))");
        byte[] expected = [0xFD, 12, 0, 0, 0x80, 0x3F, 0, 0, 0, 0x80, 1, 0, 0x80, 0x7F, 0, 0, 0x80, 0x7F, 0x0B];
        Assert.Equal(expected, Body(m));
    }

    [Theory]
    [InlineData("i32x4 1 2 3")]
    [InlineData("i32x4 1 2 3 4 5")]
    [InlineData("i8x16 256 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0")]
    [InlineData("i64x2 1.5 0")]
    [InlineData("i33x4 0 0 0 0")]
    public void V128ConstRejectsBadLanes(string lanes)
    {
        Malformed($"(module (func (drop (v128.const {lanes}))))");
    }

    [Fact]
    public void ShuffleTakesSixteenLaneIndices()
    {
        var m = Encode("(module (func (param v128) (result v128) (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 31 (local.get 0) (local.get 0))))");
        byte[] expected = [0x20, 0, 0x20, 0, 0xFD, 13, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 31, 0x0B];
        Assert.Equal(expected, Body(m));
        Malformed("(module (func (param v128) (result v128) (i8x16.shuffle 0 1 2 (local.get 0) (local.get 0))))");
        Malformed("(module (func (param v128) (result v128) (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 256 (local.get 0) (local.get 0))))");
    }

    [Fact]
    public void LaneInstructionsTakeMemargThenLane()
    {
        var m = Encode("(module (memory 1) (func (param v128) (result v128) (v128.load16_lane offset=2 3 (i32.const 0) (local.get 0))))");
        Assert.Equal(new byte[] { 0x41, 0, 0x20, 0, 0xFD, 0x55, 1, 2, 3, 0x0B }, Body(m));
    }

    [Fact]
    public void NameSectionCarriesModuleFunctionAndLocalNames()
    {
        var m = Encode("(module $mod (import \"a\" \"b\" (func $imp)) (func $f (param $p i32) (local $l i64)) (func))");
        var names = Section(m, 0)!;
        byte[] expected =
        [
            4, (byte)'n', (byte)'a', (byte)'m', (byte)'e',
            0, 4, 3, (byte)'m', (byte)'o', (byte)'d',
            1, 9, 2, 0, 3, (byte)'i', (byte)'m', (byte)'p', 1, 1, (byte)'f',
            2, 9, 1, 1, 2, 0, 1, (byte)'p', 1, 1, (byte)'l',
        ];
        Assert.Equal(expected, names);
    }

    [Fact]
    public void ConstantExpressionsInGlobals()
    {
        var m = Encode("(module (global $a i32 (i32.const -1)) (global (mut f32) (f32.const 1.5)) (global i32 (global.get $a)))");
        Assert.Equal(new byte[] { 3, 0x7F, 0, 0x41, 0x7F, 0x0B, 0x7D, 1, 0x43, 0, 0, 0xC0, 0x3F, 0x0B, 0x7F, 0, 0x23, 0, 0x0B }, Section(m, 6));
    }

    [Fact]
    public void ImportNamesMustBeValidUtf8()
    {
        Assert.Contains("UTF-8", Malformed("(module (import \"\\ff\" \"x\" (func)))").Reason);
    }

    [Fact]
    public void DeeplyNestedFoldedInstructionsAreRejectedNotOverflowed()
    {
        string text = "(module (func " + string.Concat(Enumerable.Repeat("(block ", 100_000)) + string.Concat(Enumerable.Repeat(")", 100_000)) + "))";
        Assert.Contains("nested too deeply", Malformed(text).Reason);
    }

    [Fact]
    public void FoldedNestingJustBelowTheLimitIsAccepted()
    {
        string text = "(module (func " + string.Concat(Enumerable.Repeat("(block ", 999)) + string.Concat(Enumerable.Repeat(")", 999)) + "))";
        Assert.NotEmpty(Encode(text));
    }

    [Fact]
    public void DeeplyNestedPlainBlocksNeedNoRecursion()
    {
        string text = "(module (func " + string.Concat(Enumerable.Repeat("block ", 50_000)) + string.Concat(Enumerable.Repeat("end ", 50_000)) + "))";
        Assert.NotEmpty(Encode(text));
    }

    [Fact]
    public void ErrorsPointAtTheOffendingToken()
    {
        var e = Malformed("(module\n  (func\n    i32.bogus))");
        Assert.Equal(3, e.Line);
        Assert.Equal(5, e.Column);
    }
}
