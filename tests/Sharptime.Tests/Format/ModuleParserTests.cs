using Sharptime.Format;
using Sharptime.Tests.TestSupport;
using static Sharptime.Tests.TestSupport.WasmBuilder;

namespace Sharptime.Tests.Format;

public class ModuleParserTests
{
    private static ModuleInfo Parse(byte[] bytes) => ModuleParser.Parse(bytes);

    private static MalformedModuleException Malformed(byte[] bytes) =>
        Assert.Throws<MalformedModuleException>(() => ModuleParser.Parse(bytes));

    // ---- header ----

    [Fact]
    public void EmptyModuleDecodes()
    {
        var module = Parse(new WasmBuilder().Build());
        Assert.Empty(module.Types);
        Assert.Empty(module.FunctionBodies);
        Assert.Null(module.DataCount);
        Assert.Null(module.StartFunction);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x01 })]
    [InlineData(new byte[] { 0x00, 0x61, 0x73 })]
    [InlineData(new byte[] { 0x00, 0x61, 0x73, 0x6D })]
    [InlineData(new byte[] { 0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00 })]
    public void TruncatedHeaderIsUnexpectedEnd(byte[] bytes) =>
        Assert.Equal("unexpected end", Malformed(bytes).Reason);

    [Fact]
    public void WrongMagicIsRejected()
    {
        var ex = Malformed([0x00, 0x41, 0x53, 0x4D, 0x01, 0x00, 0x00, 0x00]);
        Assert.Equal("magic header not detected", ex.Reason);
        Assert.Equal(0, ex.ByteOffset);
    }

    [Fact]
    public void WrongVersionIsRejected()
    {
        var ex = Malformed([0x00, 0x61, 0x73, 0x6D, 0x0D, 0x00, 0x01, 0x00]);
        Assert.Equal("unknown binary version", ex.Reason);
        Assert.Equal(4, ex.ByteOffset);
    }

    // ---- section framing ----

    [Theory]
    [InlineData(0x0D)]
    [InlineData(0x7F)]
    [InlineData(0x80)]
    public void UnknownSectionIdIsMalformed(byte id)
    {
        var ex = Malformed(new WasmBuilder().Raw(id, 0x01, 0x00).Build());
        Assert.Equal("malformed section id", ex.Reason);
        Assert.Equal(HeaderSize, ex.ByteOffset);
    }

    [Fact]
    public void SectionSizeBeyondModuleIsLengthOutOfBounds()
    {
        var ex = Malformed(new WasmBuilder().Raw(Id.Type, 0x07, 0x01, VoidType).Build());
        Assert.Equal("length out of bounds", ex.Reason);
    }

    [Fact]
    public void ConcatenatedModulesAreRejected()
    {
        var ex = Malformed(new WasmBuilder().Raw(0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00).Build());
        Assert.Equal("length out of bounds", ex.Reason);
    }

    [Fact]
    public void SectionContentShorterThanSizeIsSizeMismatch()
    {
        // Declares one type but carries two.
        var ex = Malformed(new WasmBuilder().Section(Id.Type, 0x01, VoidType, VoidType).Build());
        Assert.Equal("section size mismatch", ex.Reason);
        Assert.Equal(HeaderSize + 2 + 1 + 3, ex.ByteOffset);
    }

    [Fact]
    public void SectionContentLongerThanSizeIsUnexpectedEndOfSection()
    {
        var ex = Malformed(new WasmBuilder().Section(Id.Global, 0x02, 0x7F, 0x00, I32Const(0)).Build());
        Assert.Equal("unexpected end of section or function", ex.Reason);
    }

    [Fact]
    public void VectorCountThatCannotFitFailsBeforeAllocating()
    {
        var ex = Malformed(new WasmBuilder().Section(Id.Function, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x00).Build());
        Assert.Equal("unexpected end of section or function", ex.Reason);
        Assert.Equal(HeaderSize + 2, ex.ByteOffset);
    }

    [Fact]
    public void DuplicateSectionIsRejected()
    {
        var ex = Malformed(new WasmBuilder().Section(Id.Type, Vec()).Section(Id.Type, Vec()).Build());
        Assert.Equal("unexpected content after last section", ex.Reason);
        Assert.Equal(HeaderSize + 3, ex.ByteOffset);
    }

    [Fact]
    public void OutOfOrderSectionIsRejected()
    {
        var ex = Malformed(new WasmBuilder().Section(Id.Import, Vec()).Section(Id.Type, Vec()).Build());
        Assert.Equal("unexpected content after last section", ex.Reason);
    }

    [Fact]
    public void DataCountSectionGoesBeforeCodeSection()
    {
        Parse(new WasmBuilder().Section(Id.Element, Vec()).Section(Id.DataCount, 0x00).Section(Id.Code, Vec()).Build());
        var ex = Malformed(new WasmBuilder().Section(Id.Code, Vec()).Section(Id.DataCount, 0x00).Build());
        Assert.Equal("unexpected content after last section", ex.Reason);
    }

    [Fact]
    public void CustomSectionsMayAppearAnywhere()
    {
        var module = Parse(new WasmBuilder()
            .Section(Id.Custom, "first", 0x01, 0x02)
            .Section(Id.Type, Vec(VoidType))
            .Section(Id.Custom, "second")
            .Section(Id.Custom, "first")
            .Build());
        Assert.Equal(3, module.CustomSections.Count);
        Assert.Equal("first", module.CustomSections[0].Name);
        Assert.Equal(2, module.CustomSections[0].DataLength);
        Assert.Equal(0x01, module.Bytes.Span[module.CustomSections[0].DataOffset]);
        Assert.Equal("second", module.CustomSections[1].Name);
        Assert.Equal(0, module.CustomSections[1].DataLength);
    }

    [Fact]
    public void CustomSectionWithInvalidUtf8NameIsMalformed()
    {
        var ex = Malformed(new WasmBuilder().Section(Id.Custom, 0x01, 0x80).Build());
        Assert.Equal("malformed UTF-8 encoding", ex.Reason);
    }

    [Fact]
    public void EmptyCustomSectionIsUnexpectedEnd()
    {
        var ex = Malformed(new WasmBuilder().Section(Id.Custom).Build());
        Assert.StartsWith("unexpected end", ex.Reason);
    }

    // ---- types ----

    [Fact]
    public void TypeSectionDecodesParametersAndResults()
    {
        var module = Parse(new WasmBuilder()
            .Section(Id.Type, Vec(Bytes(0x60, Vec(0x7F, 0x7E, 0x7D, 0x7C, 0x7B, 0x70, 0x6F), Vec(0x7F)), VoidType))
            .Build());
        Assert.Equal(2, module.Types.Count);
        Assert.Equal(new[] { ValType.I32, ValType.I64, ValType.F32, ValType.F64, ValType.V128, ValType.FuncRef, ValType.ExternRef }, module.Types[0].Params);
        Assert.Equal(new[] { ValType.I32 }, module.Types[0].Results);
        Assert.Empty(module.Types[1].Params);
    }

    [Fact]
    public void TypeFormOtherThanFuncIsMalformed()
    {
        var ex = Malformed(new WasmBuilder().Section(Id.Type, Vec(Bytes(0x5F, 0x00, 0x00))).Build());
        Assert.Equal("malformed function type", ex.Reason);
        Assert.Equal(HeaderSize + 3, ex.ByteOffset);
    }

    [Fact]
    public void UnknownValueTypeIsMalformed()
    {
        var ex = Malformed(new WasmBuilder().Section(Id.Type, Vec(Bytes(0x60, Vec(0x7A), Vec()))).Build());
        Assert.Equal("malformed value type", ex.Reason);
    }

    // ---- imports ----

    [Fact]
    public void ImportsOfEveryKindFillTheIndexSpacesFirst()
    {
        var module = Parse(new WasmBuilder()
            .Section(Id.Type, Vec(VoidType))
            .Section(Id.Import, Vec(
                Bytes("env", "f", 0x00, 0x00),
                Bytes("env", "t", 0x01, 0x6F, 0x01, 0x02, 0x10),
                Bytes("env", "m", 0x02, 0x00, 0x01),
                Bytes("env", "g", 0x03, 0x7E, 0x01)))
            .Section(Id.Function, Vec(0x00))
            .Section(Id.Table, Vec(Bytes(0x70, 0x00, 0x05)))
            .Section(Id.Code, Vec(EmptyBody))
            .Build());

        Assert.Equal(4, module.Imports.Count);
        Assert.Equal(("env", "f", ExternKind.Func), (module.Imports[0].Module, module.Imports[0].Name, module.Imports[0].Kind));
        Assert.Equal(1, module.ImportedFunctionCount);
        Assert.Equal(new uint[] { 0, 0 }, module.FunctionTypeIndices);
        Assert.Equal(1, module.ImportedTableCount);
        Assert.Equal(new WasmTableType(ValType.ExternRef, new Limits(2, 16)), module.Tables[0]);
        Assert.Equal(new WasmTableType(ValType.FuncRef, new Limits(5, null)), module.Tables[1]);
        Assert.Equal(1, module.ImportedMemoryCount);
        Assert.Equal(new WasmMemoryType(new Limits(1, null)), module.Memories[0]);
        Assert.Equal(1, module.ImportedGlobalCount);
        Assert.Equal(new WasmGlobalType(ValType.I64, true), module.Globals[0].Type);
        Assert.Null(module.Globals[0].Init);
        Assert.Equal(module.Imports[0].Offset, module.FunctionOffsets[0]);
    }

    [Theory]
    [InlineData(0x04)]
    [InlineData(0x05)]
    [InlineData(0x80)]
    public void UnknownImportKindIsMalformed(byte kind)
    {
        var ex = Malformed(new WasmBuilder().Section(Id.Import, Vec(Bytes("", "", kind, 0x00))).Build());
        Assert.Equal("malformed import kind", ex.Reason);
        Assert.Equal(HeaderSize + 2 + 1 + 2, ex.ByteOffset);
    }

    [Fact]
    public void ImportNameWithInvalidUtf8IsMalformed()
    {
        var ex = Malformed(new WasmBuilder().Section(Id.Import, Vec(Bytes(0x01, 0xFF, "f", 0x00, 0x00))).Build());
        Assert.Equal("malformed UTF-8 encoding", ex.Reason);
    }

    [Fact]
    public void ImportCountLargerThanEntriesIsUnexpectedEnd()
    {
        var ex = Malformed(new WasmBuilder().Section(Id.Import, 0x02, "spectest", "print_i32", 0x00, 0x00).Build());
        Assert.Equal("unexpected end of section or function", ex.Reason);
    }

    // ---- functions and code ----

    [Fact]
    public void CodeBodiesRecordTheirRangesAndLocals()
    {
        var builder = new WasmBuilder()
            .Section(Id.Type, Vec(VoidType))
            .Section(Id.Function, Vec(0x00, 0x00));
        int codeStart = builder.Position + 2; // id, size
        var module = Parse(builder
            .Section(Id.Code, Vec(
                EmptyBody,
                Bytes(0x07, Vec(Bytes(0x02, 0x7F), Bytes(0x03, 0x7E)), 0x01, 0x0B)))
            .Build());

        Assert.Equal(2, module.FunctionBodies.Count);
        var first = module.FunctionBodies[0];
        Assert.Equal(codeStart + 2, first.Offset);
        Assert.Equal(2, first.Length);
        Assert.Equal(first.Offset + 1, first.CodeOffset);
        Assert.Equal(0u, first.LocalCount);

        var second = module.FunctionBodies[1];
        Assert.Equal(7, second.Length);
        Assert.Equal(5u, second.LocalCount);
        Assert.Equal(2, second.LocalDeclCount);
        Assert.Equal(second.Offset + 5, second.CodeOffset);
        Assert.Equal(0x01, module.Bytes.Span[second.CodeOffset]);
        Assert.Equal(0x0B, module.Bytes.Span[second.Offset + second.Length - 1]);
    }

    [Fact]
    public void MoreCodeEntriesThanFunctionsIsInconsistent()
    {
        var ex = Malformed(new WasmBuilder().Section(Id.Type, Vec(VoidType)).Section(Id.Code, Vec(EmptyBody)).Build());
        Assert.Equal("function and code section have inconsistent lengths", ex.Reason);
    }

    [Fact]
    public void FunctionsWithoutCodeSectionAreInconsistent()
    {
        var ex = Malformed(new WasmBuilder().Section(Id.Type, Vec(VoidType)).Section(Id.Function, Vec(0x00)).Build());
        Assert.Equal("function and code section have inconsistent lengths", ex.Reason);
    }

    [Fact]
    public void EmptyFunctionAndCodeSectionsMayBeOmitted()
    {
        Parse(new WasmBuilder().Section(Id.Function, Vec()).Build());
        Parse(new WasmBuilder().Section(Id.Code, Vec()).Build());
    }

    [Fact]
    public void LocalCountAboveTwoToThe32IsTooManyLocals()
    {
        var ex = Malformed(new WasmBuilder()
            .Section(Id.Type, Vec(VoidType)).Section(Id.Function, Vec(0x00))
            .Section(Id.Code, Vec(Bytes(0x0A, 0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x7F, 0x02, 0x7E, 0x0B)))
            .Build());
        Assert.Equal("too many locals", ex.Reason);
    }

    [Fact]
    public void FourBillionLocalsInFourRunsIsTooManyLocals()
    {
        byte[] run(byte t) => [0x80, 0x80, 0x80, 0x80, 0x04, t];
        var ex = Malformed(new WasmBuilder()
            .Section(Id.Type, Vec(VoidType)).Section(Id.Function, Vec(0x00))
            .Section(Id.Code, Vec(Bytes(0x1A, 0x04, run(0x7F), run(0x7E), run(0x7D), run(0x7C), 0x0B)))
            .Build());
        Assert.Equal("too many locals", ex.Reason);
    }

    [Fact]
    public void LocalCountWithUnusedBitsIsIntegerTooLarge()
    {
        var ex = Malformed(new WasmBuilder()
            .Section(Id.Type, Vec(VoidType)).Section(Id.Function, Vec(0x00))
            .Section(Id.Code, Vec(Bytes(0x0A, 0x02, 0x80, 0x80, 0x80, 0x80, 0x10, 0x7F, 0x02, 0x7E, 0x0B)))
            .Build());
        Assert.Equal("integer too large", ex.Reason);
    }

    [Fact]
    public void CodeEntrySizeBeyondSectionIsUnexpectedEnd()
    {
        var ex = Malformed(new WasmBuilder()
            .Section(Id.Type, Vec(VoidType)).Section(Id.Function, Vec(0x00))
            .Section(Id.Code, Vec(Bytes(0x05, 0x00, 0x0B)))
            .Build());
        Assert.Equal("unexpected end of section or function", ex.Reason);
    }

    // ---- tables, memories, globals ----

    [Theory]
    [InlineData(0x02)]
    [InlineData(0x03)]
    [InlineData(0x04)]
    public void TableLimitsFlagsOutside20AreIntegerTooLarge(byte flags)
    {
        var ex = Malformed(new WasmBuilder().Section(Id.Table, Vec(Bytes(0x70, flags, 0x00, 0x00))).Build());
        Assert.Equal("integer too large", ex.Reason);
        Assert.Equal(HeaderSize + 2 + 1 + 1, ex.ByteOffset);
    }

    [Fact]
    public void LimitsFlagsWrittenAsMultiByteLeb128AreTooLong()
    {
        var ex = Malformed(new WasmBuilder().Section(Id.Memory, Vec(Bytes(0x81, 0x00, 0x00, 0x00))).Build());
        Assert.Equal("integer representation too long", ex.Reason);
    }

    [Fact]
    public void TwoCodeSectionsAreOutOfOrderEvenWhenCountsDisagree()
    {
        var ex = Malformed(new WasmBuilder()
            .Section(Id.Type, Vec(VoidType)).Section(Id.Function, Vec(0x00, 0x00))
            .Section(Id.Code, Vec(EmptyBody)).Section(Id.Code, Vec(EmptyBody))
            .Build());
        Assert.Equal("unexpected content after last section", ex.Reason);
    }

    [Fact]
    public void TableWithNonReferenceElementTypeIsMalformed()
    {
        var ex = Malformed(new WasmBuilder().Section(Id.Table, Vec(Bytes(0x7F, 0x00, 0x00))).Build());
        Assert.Equal("malformed reference type", ex.Reason);
    }

    [Fact]
    public void MemoryLimitsDecode()
    {
        var module = Parse(new WasmBuilder().Section(Id.Memory, Vec(Bytes(0x01, 0x02, 0x80, 0x80, 0x04))).Build());
        Assert.Equal(new WasmMemoryType(new Limits(2, 65536)), Assert.Single(module.Memories));
        Assert.Equal(HeaderSize + 3, module.MemoryOffsets[0]);
    }

    [Fact]
    public void MemoryLimitsFlagsOutside20AreIntegerTooLarge()
    {
        var ex = Malformed(new WasmBuilder().Section(Id.Memory, Vec(Bytes(0x10, 0x00))).Build());
        Assert.Equal("integer too large", ex.Reason);
    }

    [Fact]
    public void GlobalRecordsTypeAndInitializerRange()
    {
        var module = Parse(new WasmBuilder().Section(Id.Global, Vec(Bytes(0x7F, 0x01, 0x41, 0x80, 0x01, 0x0B), Bytes(0x70, 0x00, 0xD2, 0x00, 0x0B))).Build());
        Assert.Equal(2, module.Globals.Count);
        Assert.Equal(new WasmGlobalType(ValType.I32, true), module.Globals[0].Type);
        var init = module.Globals[0].Init!.Value;
        Assert.Equal(HeaderSize + 2 + 1 + 2, init.Offset);
        Assert.Equal(4, init.Length);
        Assert.Equal(0x0B, module.Bytes.Span[init.Offset + init.Length - 1]);
        Assert.Equal(new WasmGlobalType(ValType.FuncRef, false), module.Globals[1].Type);
        Assert.Equal(3, module.Globals[1].Init!.Value.Length);
    }

    [Theory]
    [InlineData(0x02)]
    [InlineData(0xFF)]
    public void GlobalMutabilityOtherThanZeroOrOneIsMalformed(byte mutability)
    {
        var ex = Malformed(new WasmBuilder().Section(Id.Global, Vec(Bytes(0x7F, mutability, I32Const(0)))).Build());
        Assert.Equal("malformed mutability", ex.Reason);
    }

    [Fact]
    public void ConstExprWithoutEndIsUnexpectedEndOfSection()
    {
        var ex = Malformed(new WasmBuilder().Section(Id.Global, Vec(Bytes(0x7F, 0x00, 0x41, 0x00))).Build());
        Assert.Equal("unexpected end of section or function", ex.Reason);
    }

    [Fact]
    public void ConstExprRunningIntoTheNextSectionIsUnexpectedEndOfSection()
    {
        // The global's init has no end within its section, though the module goes on (an export section follows).
        var ex = Malformed(new WasmBuilder()
            .Section(Id.Global, Vec(Bytes(0x7F, 0x00, 0x41, 0x00)))
            .Section(Id.Export, Vec(Bytes("g", 0x03, 0x00)))
            .Build());
        Assert.Equal("unexpected end of section or function", ex.Reason);
    }

    [Theory]
    [InlineData(new byte[] { 0xF3, 0x00, 0x0B })]
    [InlineData(new byte[] { 0xFC, 0x7F, 0x0B })]
    [InlineData(new byte[] { 0xFD, 0x80, 0x7F, 0x0B })]
    [InlineData(new byte[] { 0xFE, 0x00, 0x0B })]
    public void ConstExprWithUnknownOpcodeIsIllegalOpcode(byte[] expr)
    {
        var ex = Malformed(new WasmBuilder().Section(Id.Global, Vec(Bytes(0x7F, 0x00, expr))).Build());
        Assert.StartsWith("illegal opcode", ex.Reason);
        Assert.Equal(HeaderSize + 2 + 1 + 2, ex.ByteOffset);
    }

    [Fact]
    public void ConstExprScanSkipsImmediatesOfNonConstantOperators()
    {
        // i32.const 0x0B; i32.load align=2 offset=0x0B; block (result i32) ... end; v128.const of 0x0B bytes; end
        byte[] expr =
        [
            0x41, 0x0B,
            0x28, 0x02, 0x0B,
            0x02, 0x7F, 0x41, 0x0B, 0x0B,
            0xFD, 0x0C, 0x0B, 0x0B, 0x0B, 0x0B, 0x0B, 0x0B, 0x0B, 0x0B, 0x0B, 0x0B, 0x0B, 0x0B, 0x0B, 0x0B, 0x0B, 0x0B,
            0x0B,
        ];
        var module = Parse(new WasmBuilder().Section(Id.Global, Vec(Bytes(0x7F, 0x00, expr))).Build());
        Assert.Equal(expr.Length, module.Globals[0].Init!.Value.Length);
    }

    [Fact]
    public void ConstExprRefNullWithBadHeapTypeIsMalformed()
    {
        var ex = Malformed(new WasmBuilder().Section(Id.Global, Vec(Bytes(0x70, 0x00, 0xD0, 0x7F, 0x0B))).Build());
        Assert.Equal("malformed reference type", ex.Reason);
    }

    // ---- exports and start ----

    [Fact]
    public void ExportsDecodeNameKindAndIndex()
    {
        var module = Parse(new WasmBuilder().Section(Id.Export, Vec(Bytes("f", 0x00, 0x03), Bytes("mem", 0x02, 0x00), Bytes("g", 0x03, 0x80, 0x01))).Build());
        Assert.Equal(3, module.Exports.Count);
        Assert.Equal(new Export("f", ExternKind.Func, 3, HeaderSize + 3), module.Exports[0]);
        Assert.Equal(ExternKind.Memory, module.Exports[1].Kind);
        Assert.Equal(128u, module.Exports[2].Index);
    }

    [Fact]
    public void ExportKindOutOfRangeIsMalformed()
    {
        var ex = Malformed(new WasmBuilder().Section(Id.Export, Vec(Bytes("x", 0x04, 0x00))).Build());
        Assert.Equal("malformed export kind", ex.Reason);
    }

    [Fact]
    public void StartSectionRecordsFunctionIndex()
    {
        var module = Parse(new WasmBuilder().Section(Id.Start, 0x85, 0x01).Build());
        Assert.Equal(133u, module.StartFunction);
        Assert.Equal(HeaderSize + 2, module.StartFunctionOffset);
    }

    [Fact]
    public void TwoStartSectionsAreRejected()
    {
        var ex = Malformed(new WasmBuilder().Section(Id.Start, 0x00).Section(Id.Start, 0x00).Build());
        Assert.Equal("unexpected content after last section", ex.Reason);
    }

    // ---- element segments ----

    public static TheoryData<byte[], int, uint, int, bool, bool> ElementEncodings => new()
    {
        // flags, ..., expected mode, table, type, has offset, uses expressions
        { Bytes(0x00, I32Const(1), Vec(0x00, 0x01)), (int)SegmentMode.Active, 0u, (int)ValType.FuncRef, true, false },
        { Bytes(0x01, 0x00, Vec(0x00, 0x01)), (int)SegmentMode.Passive, 0u, (int)ValType.FuncRef, false, false },
        { Bytes(0x02, 0x02, I32Const(1), 0x00, Vec(0x00, 0x01)), (int)SegmentMode.Active, 2u, (int)ValType.FuncRef, true, false },
        { Bytes(0x03, 0x00, Vec(0x00, 0x01)), (int)SegmentMode.Declarative, 0u, (int)ValType.FuncRef, false, false },
        { Bytes(0x04, I32Const(1), Vec(Bytes(0xD2, 0x00, 0x0B), Bytes(0xD0, 0x70, 0x0B))), (int)SegmentMode.Active, 0u, (int)ValType.FuncRef, true, true },
        { Bytes(0x05, 0x6F, Vec(Bytes(0xD0, 0x6F, 0x0B), Bytes(0xD0, 0x6F, 0x0B))), (int)SegmentMode.Passive, 0u, (int)ValType.ExternRef, false, true },
        { Bytes(0x06, 0x01, I32Const(1), 0x70, Vec(Bytes(0xD2, 0x00, 0x0B), Bytes(0xD2, 0x01, 0x0B))), (int)SegmentMode.Active, 1u, (int)ValType.FuncRef, true, true },
        { Bytes(0x07, 0x70, Vec(Bytes(0xD2, 0x00, 0x0B), Bytes(0xD2, 0x01, 0x0B))), (int)SegmentMode.Declarative, 0u, (int)ValType.FuncRef, false, true },
    };

    [Theory]
    [MemberData(nameof(ElementEncodings))]
    public void ElementSegmentEncodingsDecode(byte[] segment, int mode, uint table, int type, bool hasOffset, bool usesExpressions)
    {
        var module = Parse(new WasmBuilder().Section(Id.Element, Vec(segment)).Build());
        var e = Assert.Single(module.Elements);
        Assert.Equal((SegmentMode)mode, e.Mode);
        Assert.Equal(table, e.TableIndex);
        Assert.Equal((ValType)type, e.ElementType);
        Assert.Equal(hasOffset, e.TableOffset.HasValue);
        Assert.Equal(2, e.Count);
        Assert.Equal(HeaderSize + 3, e.Offset);
        if (usesExpressions)
        {
            Assert.Null(e.FunctionIndices);
            Assert.All(e.Expressions!, x => Assert.Equal(3, x.Length));
        }
        else
        {
            Assert.Equal(new uint[] { 0, 1 }, e.FunctionIndices);
            Assert.Null(e.Expressions);
        }
        if (hasOffset) Assert.Equal(3, e.TableOffset!.Value.Length);
    }

    [Fact]
    public void ElementSegmentFlagsAboveSevenAreMalformed()
    {
        var ex = Malformed(new WasmBuilder().Section(Id.Element, Vec(Bytes(0x08, 0x00, Vec()))).Build());
        Assert.Equal("malformed elements segment kind", ex.Reason);
    }

    [Fact]
    public void ElementKindOtherThanFuncIsMalformed()
    {
        var ex = Malformed(new WasmBuilder().Section(Id.Element, Vec(Bytes(0x01, 0x01, Vec()))).Build());
        Assert.Equal("malformed element kind", ex.Reason);
    }

    [Fact]
    public void ElementReferenceTypeThatIsNotAReferenceIsMalformed()
    {
        var ex = Malformed(new WasmBuilder().Section(Id.Element, Vec(Bytes(0x05, 0x7F, Vec(Bytes(0xD2, 0x00, 0x0B))))).Build());
        Assert.Equal("malformed reference type", ex.Reason);
    }

    // ---- data ----

    [Fact]
    public void DataSegmentsOfEveryModeDecode()
    {
        var module = Parse(new WasmBuilder()
            .Section(Id.DataCount, 0x03)
            .Section(Id.Data, Vec(
                Bytes(0x00, I32Const(4), Vec(0x61, 0x62)),
                Bytes(0x01, Vec(0x63)),
                Bytes(0x02, 0x00, I32Const(8), Vec())))
            .Build());
        Assert.Equal(3u, module.DataCount);
        Assert.Equal(3, module.Data.Count);

        var active = module.Data[0];
        Assert.Equal(SegmentMode.Active, active.Mode);
        Assert.Equal(3, active.MemoryOffset!.Value.Length);
        Assert.Equal("ab"u8.ToArray(), module.Bytes.Span.Slice(active.DataOffset, active.DataLength).ToArray());

        Assert.Equal(SegmentMode.Passive, module.Data[1].Mode);
        Assert.Null(module.Data[1].MemoryOffset);
        Assert.Equal(1, module.Data[1].DataLength);

        Assert.Equal(SegmentMode.Active, module.Data[2].Mode);
        Assert.Equal(0, module.Data[2].DataLength);
    }

    [Fact]
    public void DataSegmentFlagsAboveTwoAreMalformed()
    {
        var ex = Malformed(new WasmBuilder().Section(Id.Data, Vec(Bytes(0x03, Vec()))).Build());
        Assert.Equal("malformed data segment kind", ex.Reason);
    }

    [Fact]
    public void DataCountDifferentFromDataSegmentsIsInconsistent()
    {
        var ex = Malformed(new WasmBuilder()
            .Section(Id.Memory, Vec(Bytes(0x00, 0x01)))
            .Section(Id.DataCount, 0x02)
            .Section(Id.Data, Vec(Bytes(0x00, I32Const(0), Vec())))
            .Build());
        Assert.Equal("data count and data section have inconsistent lengths", ex.Reason);
    }

    [Fact]
    public void DataCountWithoutDataSectionIsInconsistent()
    {
        var ex = Malformed(new WasmBuilder().Section(Id.DataCount, 0x01).Build());
        Assert.Equal("data count and data section have inconsistent lengths", ex.Reason);
        Parse(new WasmBuilder().Section(Id.DataCount, 0x00).Build());
    }

    [Fact]
    public void DataPayloadLongerThanSectionIsUnexpectedEnd()
    {
        var ex = Malformed(new WasmBuilder().Section(Id.Data, Vec(Bytes(0x00, I32Const(3), 0x07, 0x61, 0x62))).Build());
        Assert.Equal("unexpected end of section or function", ex.Reason);
    }

    [Fact]
    public void DataPayloadShorterThanSectionIsSizeMismatch()
    {
        var ex = Malformed(new WasmBuilder().Section(Id.Data, Vec(Bytes(0x00, I32Const(3), 0x01, 0x61, 0x62))).Build());
        Assert.Equal("section size mismatch", ex.Reason);
    }
}
