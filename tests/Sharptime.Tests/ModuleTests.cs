namespace Sharptime.Tests;

public sealed class ModuleTests
{
    private static readonly Engine Engine = new();

    private const string AddModule = """
        (module $calc
          (import "env" "log" (func (param i32)))
          (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
          (memory (export "mem") 1))
        """;

    [Fact]
    public void FromTextListsImportsAndExportsInDeclarationOrder()
    {
        var module = Module.FromText(Engine, AddModule);

        Assert.Equal(
            [new ModuleImport("env", "log", ExternalKind.Function) { FunctionType = new([ValKind.I32], []), Type = "(func (param i32))" }],
            module.Imports);
        Assert.Equal(
            [
                new ModuleExport("add", ExternalKind.Function) { FunctionType = new([ValKind.I32, ValKind.I32], [ValKind.I32]), Type = "(func (param i32 i32) (result i32))" },
                new ModuleExport("mem", ExternalKind.Memory) { Type = "(memory 1)" },
            ],
            module.Exports);
    }

    [Fact]
    public void ModuleNameComesFromTheTextIdentifier()
    {
        Assert.Equal("calc", Module.FromText(Engine, AddModule).Name);
    }

    [Fact]
    public void FromBytesAcceptsBinaryAndTextAlike()
    {
        var binary = Module.ConvertText(AddModule);

        var fromBinary = Module.FromBytes(Engine, binary);
        var fromText = Module.FromBytes(Engine, System.Text.Encoding.UTF8.GetBytes(AddModule));

        Assert.Equal(fromText.Exports, fromBinary.Exports);
    }

    [Fact]
    public void TextSyntaxErrorReportsLineAndColumn()
    {
        var e = Assert.Throws<MalformedModuleException>(() => Module.FromText(Engine, "(module\n  (func (i32.bogus)))"));

        Assert.Equal(2, e.Line);
        Assert.Equal(10, e.Column);
    }

    [Fact]
    public void BinaryWithBadMagicIsMalformedAtOffsetZero()
    {
        var e = Assert.Throws<MalformedModuleException>(() => Module.FromBytes(Engine, [0x00, 0x61, 0x73, 0x6E, 1, 0, 0, 0]));

        Assert.Equal(0, e.ByteOffset);
    }

    [Fact]
    public void TypeErrorInABodyIsInvalidAndNamesTheFunction()
    {
        var e = Assert.Throws<InvalidModuleException>(() =>
            Module.FromText(Engine, "(module (func) (func (result i32) (i64.const 1)))"));

        Assert.Equal(1, e.FunctionIndex);
    }

    [Fact]
    public void ValidateReturnsNullForAValidModuleAndTheReasonOtherwise()
    {
        Assert.Null(Module.Validate(Engine, Module.ConvertText("(module)")));
        Assert.Contains("type mismatch", Module.Validate(Engine, Module.ConvertText("(module (func (result i32)))")));
    }
}
