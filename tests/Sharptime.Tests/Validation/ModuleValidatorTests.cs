using Sharptime.Format;
using Sharptime.Tests.TestSupport;
using Sharptime.Validation;
using static Sharptime.Tests.TestSupport.WasmBuilder;

namespace Sharptime.Tests.Validation;

/// <summary>
/// Module-level rules. Constant expressions and bodies are validated elsewhere, so these modules avoid them
/// (or break a rule that is checked before them) and use <see cref="ModuleValidator.ValidateModuleLevel"/> when they have bodies.
/// </summary>
public class ModuleValidatorTests
{
    private static ModuleInfo Valid(WasmBuilder builder)
    {
        var module = ModuleParser.Parse(builder.Build());
        ModuleValidator.ValidateModuleLevel(module);
        return module;
    }

    private static InvalidModuleException Invalid(WasmBuilder builder)
    {
        var module = ModuleParser.Parse(builder.Build());
        return Assert.Throws<InvalidModuleException>(() => ModuleValidator.ValidateModuleLevel(module));
    }

    private static readonly byte[] ParamI32Type = [0x60, 0x01, 0x7F, 0x00];

    [Fact]
    public void EmptyModuleIsValid()
    {
        var module = WasmFrontEnd.DecodeAndValidate(new WasmBuilder().Build());
        Assert.Empty(module.DeclaredFunctionReferences);
    }

    [Fact]
    public void ModuleWithImportsExportsAndPassiveSegmentsIsValidEndToEnd()
    {
        var module = WasmFrontEnd.DecodeAndValidate(new WasmBuilder()
            .Section(Id.Type, Vec(VoidType))
            .Section(Id.Import, Vec(Bytes("env", "f", 0x00, 0x00), Bytes("env", "m", 0x02, 0x01, 0x01, 0x02)))
            .Section(Id.Table, Vec(Bytes(0x70, 0x00, 0x01)))
            .Section(Id.Export, Vec(Bytes("f", 0x00, 0x00), Bytes("t", 0x01, 0x00), Bytes("m", 0x02, 0x00)))
            .Section(Id.Start, 0x00)
            .Section(Id.Element, Vec(Bytes(0x01, 0x00, Vec(0x00))))
            .Section(Id.DataCount, 0x01)
            .Section(Id.Data, Vec(Bytes(0x01, Vec(0x2A))))
            .Build());
        Assert.Equal(0u, module.StartFunction);
    }

    [Fact]
    public void ImportedFunctionWithUnknownTypeIsInvalid()
    {
        var builder = new WasmBuilder().Section(Id.Type, Vec(VoidType));
        int importOffset = builder.Position + 3;
        var ex = Invalid(builder.Section(Id.Import, Vec(Bytes("a", "b", 0x00, 0x01))));
        Assert.Equal("unknown type 1", ex.Reason);
        Assert.Equal(importOffset, ex.ByteOffset);
    }

    [Fact]
    public void DefinedFunctionWithUnknownTypeIsInvalid()
    {
        var builder = new WasmBuilder();
        int typeIndexOffset = builder.Position + 3;
        var ex = Invalid(builder.Section(Id.Function, Vec(0x00)).Section(Id.Code, Vec(EmptyBody)));
        Assert.StartsWith("unknown type", ex.Reason);
        Assert.Equal(typeIndexOffset, ex.ByteOffset);
        Assert.Null(ex.FunctionIndex);
    }

    [Fact]
    public void TableMinimumAboveMaximumIsInvalid()
    {
        var ex = Invalid(new WasmBuilder().Section(Id.Table, Vec(Bytes(0x70, 0x01, 0x02, 0x01))));
        Assert.Equal("size minimum must not be greater than maximum", ex.Reason);
        Assert.Equal(HeaderSize + 3, ex.ByteOffset);
    }

    [Fact]
    public void ImportedTableMinimumAboveMaximumIsInvalid()
    {
        var ex = Invalid(new WasmBuilder().Section(Id.Import, Vec(Bytes("a", "t", 0x01, 0x6F, 0x01, 0x05, 0x04))));
        Assert.Equal("size minimum must not be greater than maximum", ex.Reason);
    }

    [Fact]
    public void TableLimitsUpToTwoToThe32MinusOneAreValid()
    {
        Valid(new WasmBuilder().Section(Id.Table, Vec(Bytes(0x70, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F))));
    }

    [Fact]
    public void MemoryOf65536PagesIsValid()
    {
        Valid(new WasmBuilder().Section(Id.Memory, Vec(Bytes(0x01, 0x80, 0x80, 0x04, 0x80, 0x80, 0x04))));
    }

    [Fact]
    public void MemoryMinimumAbove65536PagesIsInvalid()
    {
        var ex = Invalid(new WasmBuilder().Section(Id.Memory, Vec(Bytes(0x00, 0x81, 0x80, 0x04))));
        Assert.Equal("memory size must be at most 65536 pages (4GiB)", ex.Reason);
    }

    [Fact]
    public void MemoryMaximumAbove65536PagesIsInvalid()
    {
        var ex = Invalid(new WasmBuilder().Section(Id.Memory, Vec(Bytes(0x01, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F))));
        Assert.Equal("memory size must be at most 65536 pages (4GiB)", ex.Reason);
    }

    [Fact]
    public void ImportedMemoryAbove65536PagesIsInvalid()
    {
        var ex = Invalid(new WasmBuilder().Section(Id.Import, Vec(Bytes("a", "m", 0x02, 0x00, 0x81, 0x80, 0x04))));
        Assert.Equal("memory size must be at most 65536 pages (4GiB)", ex.Reason);
    }

    [Fact]
    public void MemoryMinimumAboveMaximumIsInvalid()
    {
        var ex = Invalid(new WasmBuilder().Section(Id.Memory, Vec(Bytes(0x01, 0x02, 0x01))));
        Assert.Equal("size minimum must not be greater than maximum", ex.Reason);
    }

    [Fact]
    public void TwoDefinedMemoriesAreInvalid()
    {
        var ex = Invalid(new WasmBuilder().Section(Id.Memory, Vec(Bytes(0x00, 0x00), Bytes(0x00, 0x00))));
        Assert.Equal("multiple memories", ex.Reason);
        Assert.Equal(HeaderSize + 5, ex.ByteOffset);
    }

    [Fact]
    public void ImportedAndDefinedMemoryAreMultipleMemories()
    {
        var ex = Invalid(new WasmBuilder()
            .Section(Id.Import, Vec(Bytes("a", "m", 0x02, 0x00, 0x00)))
            .Section(Id.Memory, Vec(Bytes(0x00, 0x00))));
        Assert.Equal("multiple memories", ex.Reason);
    }

    [Fact]
    public void DuplicateExportNameIsInvalid()
    {
        var builder = new WasmBuilder().Section(Id.Memory, Vec(Bytes(0x00, 0x00)));
        int secondExport = builder.Position + 3 + 4;
        var ex = Invalid(builder.Section(Id.Export, Vec(Bytes("a", 0x02, 0x00), Bytes("a", 0x02, 0x00))));
        Assert.Equal("duplicate export name", ex.Reason);
        Assert.Equal(secondExport, ex.ByteOffset);
    }

    [Fact]
    public void ExportNamesDifferingOnlyInCaseAreDistinct()
    {
        Valid(new WasmBuilder().Section(Id.Memory, Vec(Bytes(0x00, 0x00))).Section(Id.Export, Vec(Bytes("a", 0x02, 0x00), Bytes("A", 0x02, 0x00))));
    }

    [Theory]
    [InlineData(0x00, "unknown function 0")]
    [InlineData(0x01, "unknown table 0")]
    [InlineData(0x02, "unknown memory 0")]
    [InlineData(0x03, "unknown global 0")]
    public void ExportOfMissingItemIsInvalid(byte kind, string reason)
    {
        var ex = Invalid(new WasmBuilder().Section(Id.Export, Vec(Bytes("x", kind, 0x00))));
        Assert.Equal(reason, ex.Reason);
        Assert.Equal(HeaderSize + 3, ex.ByteOffset);
    }

    [Fact]
    public void ExportedFunctionsAreDeclaredReferences()
    {
        var module = Valid(new WasmBuilder()
            .Section(Id.Type, Vec(VoidType))
            .Section(Id.Import, Vec(Bytes("a", "f", 0x00, 0x00), Bytes("a", "g", 0x00, 0x00)))
            .Section(Id.Export, Vec(Bytes("g", 0x00, 0x01))));
        Assert.Equal(new HashSet<uint> { 1 }, module.DeclaredFunctionReferences);
    }

    [Fact]
    public void StartFunctionMustExist()
    {
        var ex = Invalid(new WasmBuilder().Section(Id.Start, 0x02));
        Assert.Equal("unknown function 2", ex.Reason);
        Assert.Equal(HeaderSize + 2, ex.ByteOffset);
    }

    [Fact]
    public void StartFunctionWithParametersIsInvalid()
    {
        var ex = Invalid(new WasmBuilder()
            .Section(Id.Type, Vec(ParamI32Type))
            .Section(Id.Import, Vec(Bytes("a", "f", 0x00, 0x00)))
            .Section(Id.Start, 0x00));
        Assert.Equal("start function", ex.Reason);
    }

    [Fact]
    public void StartFunctionWithResultsIsInvalid()
    {
        var ex = Invalid(new WasmBuilder()
            .Section(Id.Type, Vec(Bytes(0x60, 0x00, 0x01, 0x7F)))
            .Section(Id.Import, Vec(Bytes("a", "f", 0x00, 0x00)))
            .Section(Id.Start, 0x00));
        Assert.Equal("start function", ex.Reason);
    }

    [Fact]
    public void ElementSegmentFunctionIndicesMustExist()
    {
        var ex = Invalid(new WasmBuilder().Section(Id.Element, Vec(Bytes(0x01, 0x00, Vec(0x00)))));
        Assert.Equal("unknown function 0", ex.Reason);
        Assert.Equal(HeaderSize + 3, ex.ByteOffset);
    }

    [Fact]
    public void PassiveAndDeclarativeSegmentIndicesAreDeclaredReferences()
    {
        var module = Valid(new WasmBuilder()
            .Section(Id.Type, Vec(VoidType))
            .Section(Id.Import, Vec(Bytes("a", "f", 0x00, 0x00), Bytes("a", "g", 0x00, 0x00), Bytes("a", "h", 0x00, 0x00)))
            .Section(Id.Element, Vec(Bytes(0x01, 0x00, Vec(0x02)), Bytes(0x03, 0x00, Vec(0x00)))));
        Assert.Equal(new HashSet<uint> { 0, 2 }, module.DeclaredFunctionReferences);
    }

    [Fact]
    public void ActiveElementSegmentForMissingTableIsInvalid()
    {
        var ex = Invalid(new WasmBuilder().Section(Id.Element, Vec(Bytes(0x00, I32Const(0), Vec()))));
        Assert.Equal("unknown table 0", ex.Reason);
    }

    [Fact]
    public void ActiveElementSegmentWithExplicitMissingTableIsInvalid()
    {
        var ex = Invalid(new WasmBuilder()
            .Section(Id.Table, Vec(Bytes(0x70, 0x00, 0x00)))
            .Section(Id.Element, Vec(Bytes(0x02, 0x01, I32Const(0), 0x00, Vec()))));
        Assert.Equal("unknown table 1", ex.Reason);
    }

    [Fact]
    public void ElementTypeMustMatchTableType()
    {
        var ex = Invalid(new WasmBuilder()
            .Section(Id.Table, Vec(Bytes(0x6F, 0x00, 0x00)))
            .Section(Id.Element, Vec(Bytes(0x00, I32Const(0), Vec()))));
        Assert.Equal("type mismatch", ex.Reason);
    }

    [Fact]
    public void ActiveDataSegmentWithoutMemoryIsInvalid()
    {
        var ex = Invalid(new WasmBuilder().Section(Id.Data, Vec(Bytes(0x00, I32Const(0), Vec()))));
        Assert.Equal("unknown memory 0", ex.Reason);
        Assert.Equal(HeaderSize + 3, ex.ByteOffset);
    }

    [Fact]
    public void ActiveDataSegmentForSecondMemoryIsInvalid()
    {
        var ex = Invalid(new WasmBuilder()
            .Section(Id.Memory, Vec(Bytes(0x00, 0x00)))
            .Section(Id.Data, Vec(Bytes(0x02, 0x01, I32Const(0), Vec()))));
        Assert.Equal("unknown memory 1", ex.Reason);
    }

    [Fact]
    public void PassiveDataSegmentNeedsNoMemory()
    {
        Valid(new WasmBuilder().Section(Id.Data, Vec(Bytes(0x01, Vec(0x01)))));
    }

    [Fact]
    public void MalformedWinsOverInvalid()
    {
        // An export of a missing function (invalid) followed by a bad section id (malformed).
        var bytes = new WasmBuilder().Section(Id.Export, Vec(Bytes("x", 0x00, 0x05))).Raw(0x0E, 0x00).Build();
        Assert.Throws<MalformedModuleException>(() => WasmFrontEnd.DecodeAndValidate(bytes));
    }
}
