using Sharptime.ComponentModel.Tests.Support;
using Sharptime.ComponentModel.Wit;

namespace Sharptime.ComponentModel.Tests;

public sealed class ParserTests
{
    private static WitInterface Iface(string body, string name = "i") =>
        TestWit.Single($"package a:b@1.0.0;\ninterface {name} {{\n{body}\n}}").FindInterface(name)!;

    private static WitType AliasOf(string type) => Iface($"type t = {type};").FindType("t")!.AliasedType!;

    [Theory]
    [InlineData("bool", WitPrimitiveKind.Bool)]
    [InlineData("s8", WitPrimitiveKind.S8)]
    [InlineData("s16", WitPrimitiveKind.S16)]
    [InlineData("s32", WitPrimitiveKind.S32)]
    [InlineData("s64", WitPrimitiveKind.S64)]
    [InlineData("u8", WitPrimitiveKind.U8)]
    [InlineData("u16", WitPrimitiveKind.U16)]
    [InlineData("u32", WitPrimitiveKind.U32)]
    [InlineData("u64", WitPrimitiveKind.U64)]
    [InlineData("f32", WitPrimitiveKind.F32)]
    [InlineData("f64", WitPrimitiveKind.F64)]
    [InlineData("char", WitPrimitiveKind.Char)]
    [InlineData("string", WitPrimitiveKind.String)]
    [InlineData("error-context", WitPrimitiveKind.ErrorContext)]
    public void PrimitiveTypesParseToTheirKind(string text, WitPrimitiveKind kind) =>
        Assert.Equal(kind, Assert.IsType<WitPrimitiveType>(AliasOf(text)).Kind);

    [Fact]
    public void ListWithoutLengthIsVariableLength() => Assert.Null(Assert.IsType<WitListType>(AliasOf("list<u8>")).Length);

    [Fact]
    public void ListWithLengthIsFixedSize() => Assert.Equal(4u, Assert.IsType<WitListType>(AliasOf("list<u8, 4>")).Length);

    [Fact]
    public void TupleKeepsElementOrder() =>
        Assert.Equal(["u8", "string"], Assert.IsType<WitTupleType>(AliasOf("tuple<u8, string>")).Elements.Select(e => e.ToString()));

    [Fact]
    public void OptionWrapsItsPayload() => Assert.Equal("u8", Assert.IsType<WitOptionType>(AliasOf("option<u8>")).Some.ToString());

    [Theory]
    [InlineData("result", null, null)]
    [InlineData("result<u8>", "u8", null)]
    [InlineData("result<_, string>", null, "string")]
    [InlineData("result<u8, string>", "u8", "string")]
    public void ResultParsesInAllFourForms(string text, string? ok, string? error)
    {
        var result = Assert.IsType<WitResultType>(AliasOf(text));
        Assert.Equal(ok, result.Ok?.ToString());
        Assert.Equal(error, result.Error?.ToString());
    }

    [Theory]
    [InlineData("future", null)]
    [InlineData("future<u8>", "u8")]
    public void FutureTakesAnOptionalPayload(string text, string? element) =>
        Assert.Equal(element, Assert.IsType<WitFutureType>(AliasOf(text)).Element?.ToString());

    [Theory]
    [InlineData("stream", null)]
    [InlineData("stream<u8>", "u8")]
    public void StreamTakesAnOptionalElement(string text, string? element) =>
        Assert.Equal(element, Assert.IsType<WitStreamType>(AliasOf(text)).Element?.ToString());

    [Fact]
    public void RecordKeepsFieldsAndTheirDocs()
    {
        var record = Iface("record p {\n/// x doc\nx: u32,\ny: string,\n}").FindType("p")!;
        Assert.Equal(WitTypeDefKind.Record, record.Kind);
        Assert.Equal(["x", "y"], record.Fields.Select(f => f.Name));
        Assert.Equal("x doc", record.Fields[0].Docs);
    }

    [Fact]
    public void VariantCasesMayHaveOrOmitPayloads()
    {
        var variant = Iface("variant v { a, b(u32) }").FindType("v")!;
        Assert.Null(variant.Cases[0].Type);
        Assert.Equal("u32", variant.Cases[1].Type!.ToString());
    }

    [Fact]
    public void EnumCasesHaveNoPayload() =>
        Assert.Equal(["a", "b"], Iface("enum e { a, b }").FindType("e")!.Cases.Select(c => c.Name));

    [Fact]
    public void FlagsKeepTheirOrder() =>
        Assert.Equal(["r", "w"], Iface("flags f { r, w, }").FindType("f")!.Flags.Select(c => c.Name));

    [Fact]
    public void ResourceHasConstructorMethodsAndStaticFunctions()
    {
        var resource = Iface("resource r {\nconstructor(x: u32);\nget: func() -> u32;\nmake: static func() -> r;\n}").FindType("r")!;
        Assert.Equal([WitFunctionKind.Constructor, WitFunctionKind.Method, WitFunctionKind.Static], resource.ResourceFunctions.Select(f => f.Kind));
        Assert.All(resource.ResourceFunctions, f => Assert.Same(resource, f.Resource));
    }

    [Fact]
    public void OwnAndBorrowHandlesPointAtTheResource()
    {
        var iface = Iface("resource r;\nf: func(a: borrow<r>) -> own<r>;");
        var f = iface.FindFunction("f")!;
        Assert.True(Assert.IsType<WitHandleType>(f.Params[0].Type).IsBorrow);
        Assert.False(Assert.IsType<WitHandleType>(f.Result).IsBorrow);
        Assert.Same(iface.FindType("r"), ((WitHandleType)f.Result!).Resource);
    }

    [Fact]
    public void AsyncFunctionsAreMarked() => Assert.True(Iface("f: async func();").FindFunction("f")!.IsAsync);

    [Fact]
    public void PercentEscapesAllowKeywordsAsNames()
    {
        var iface = Iface("%record: func(%type: u32);");
        Assert.Equal("record", iface.Functions[0].Name);
        Assert.Equal("type", iface.Functions[0].Params[0].Name);
    }

    [Fact]
    public void TypesMayBeUsedBeforeTheyAreDefined() =>
        Assert.Equal("later", Iface("f: func() -> later;\ntype later = u8;").FindFunction("f")!.Result!.ToString());

    [Fact]
    public void TripleSlashDocsAttachToTheNextItem() =>
        Assert.Equal("line one\nline two", Iface("/// line one\n/// line two\nf: func();").FindFunction("f")!.Docs);

    [Fact]
    public void BlockDocsAttachToTheNextItem() =>
        Assert.Equal("block doc", Iface("/** block doc */\nf: func();").FindFunction("f")!.Docs);

    [Fact]
    public void PlainCommentsAreNotDocs() => Assert.Null(Iface("// not docs\n/* nor this */\nf: func();").FindFunction("f")!.Docs);

    [Fact]
    public void DocsOnPackageInterfaceAndWorldAreKept()
    {
        var package = TestWit.Single("/// pkg\npackage a:b;\n/// iface\ninterface i {}\n/// world\nworld w {}");
        Assert.Equal("pkg", package.Docs);
        Assert.Equal("iface", package.Interfaces[0].Docs);
        Assert.Equal("world", package.Worlds[0].Docs);
    }

    [Fact]
    public void SinceAndDeprecatedAreRecorded()
    {
        var f = Iface("@since(version = 0.2.0)\n@deprecated(version = 0.3.0)\nf: func();").FindFunction("f")!;
        Assert.Equal("0.2.0", f.Stability.Since);
        Assert.Equal("0.3.0", f.Stability.Deprecated);
    }

    [Fact]
    public void PackageVersionsMayHavePrereleaseAndBuild() =>
        Assert.Equal("1.0.0-rc.1+b.2", TestWit.Single("package a:b@1.0.0-rc.1+b.2;").Name.Version);

    [Fact]
    public void CarriageReturnLineEndingsAreAccepted() =>
        Assert.Single(TestWit.Single("package a:b;\r\ninterface i {\r\n  f: func();\r\n}\r\n").Interfaces);

    [Fact]
    public void MapHasAKeyAndAValue()
    {
        var map = Assert.IsType<WitMapType>(AliasOf("map<string, list<u8>>"));
        Assert.Equal("string", map.Key.ToString());
        Assert.Equal("list<u8>", map.Value.ToString());
    }

    [Fact]
    public void TupleAllowsATrailingComma() => Assert.Equal(2, Assert.IsType<WitTupleType>(AliasOf("tuple<u8, u8,>")).Elements.Count);
}
