using Sharptime.Format;
using Sharptime.Validation;

namespace Sharptime.Tests.Validation;

/// <summary>
/// Builds a <see cref="ModuleInfo"/> by hand (the section decoder is not needed): function bodies and constant
/// expressions are laid out after a fake 8-byte header so their offsets are absolute and non-zero.
/// </summary>
internal sealed class TestModuleBuilder
{
    private const int HeaderSize = 8;

    private readonly List<FuncType> _types = [];
    private readonly List<uint> _functionTypes = [];
    private readonly List<byte[]> _bodies = [];
    private readonly List<byte[]> _constExprs = [];
    private readonly List<WasmTableType> _tables = [];
    private readonly List<WasmMemoryType> _memories = [];
    private readonly List<WasmGlobalType> _globals = [];
    private readonly List<ValType> _elements = [];
    private readonly List<uint> _declared = [];
    private int _importedFunctions;
    private uint? _dataCount;
    private int _dataSegments;

    public uint Type(ValType[] parameters, ValType[] results)
    {
        _types.Add(new FuncType(parameters, results));
        return (uint)(_types.Count - 1);
    }

    public TestModuleBuilder ImportFunction(uint typeIndex)
    {
        if (_bodies.Count > 0) throw new InvalidOperationException("imports come first");
        _functionTypes.Add(typeIndex);
        _importedFunctions++;
        return this;
    }

    /// <summary>Adds a defined function; <paramref name="body"/> starts with the local declarations.</summary>
    public TestModuleBuilder Function(uint typeIndex, params byte[] body)
    {
        _functionTypes.Add(typeIndex);
        _bodies.Add(body);
        return this;
    }

    /// <summary>Adds a constant expression's bytes; returns its index for <see cref="ConstExprAt"/>.</summary>
    public int ConstExpr(params byte[] bytes)
    {
        _constExprs.Add(bytes);
        return _constExprs.Count - 1;
    }

    public TestModuleBuilder Table(ValType elementType)
    {
        _tables.Add(new WasmTableType(elementType, new Limits(1, null)));
        return this;
    }

    public TestModuleBuilder Memory()
    {
        _memories.Add(new WasmMemoryType(new Limits(1, null)));
        return this;
    }

    public TestModuleBuilder Global(ValType type, bool mutable)
    {
        _globals.Add(new WasmGlobalType(type, mutable));
        return this;
    }

    public TestModuleBuilder PassiveElements(ValType elementType)
    {
        _elements.Add(elementType);
        return this;
    }

    public TestModuleBuilder PassiveData(int count, bool withDataCountSection)
    {
        _dataSegments = count;
        _dataCount = withDataCountSection ? (uint)count : null;
        return this;
    }

    public TestModuleBuilder DeclareFunctionReference(uint functionIndex)
    {
        _declared.Add(functionIndex);
        return this;
    }

    public ModuleInfo Build() => Build(out _);

    public ModuleInfo Build(out List<ConstExpr> constExprs)
    {
        var bytes = new List<byte> { 0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00 };
        var bodies = new List<FunctionBody>();
        foreach (var body in _bodies)
        {
            bodies.Add(new FunctionBody(bytes.Count, body.Length));
            bytes.AddRange(body);
        }

        constExprs = [];
        foreach (var expr in _constExprs)
        {
            constExprs.Add(new ConstExpr(bytes.Count, expr.Length));
            bytes.AddRange(expr);
        }

        var module = new ModuleInfo(bytes.ToArray());
        module.Types.AddRange(_types);
        module.FunctionTypeIndices.AddRange(_functionTypes);
        module.ImportedFunctionCount = _importedFunctions;
        module.FunctionBodies.AddRange(bodies);
        module.Tables.AddRange(_tables);
        module.Memories.AddRange(_memories);
        foreach (var g in _globals) module.Globals.Add(new GlobalInfo(g, null));
        foreach (var e in _elements)
            module.Elements.Add(new ElementSegment { Mode = SegmentMode.Passive, ElementType = e, FunctionIndices = [] });
        for (int i = 0; i < _dataSegments; i++)
            module.Data.Add(new DataSegment { Mode = SegmentMode.Passive, DataOffset = 0, DataLength = 0 });
        module.DataCount = _dataCount;
        foreach (var f in _declared) module.DeclaredFunctionReferences.Add(f);
        return module;
    }

    public static int FirstBodyOffset => HeaderSize;
}

/// <summary>Shorthands for the tests.</summary>
internal static class V
{
    public const ValType I32 = ValType.I32;
    public const ValType I64 = ValType.I64;
    public const ValType F32 = ValType.F32;
    public const ValType F64 = ValType.F64;
    public const ValType V128 = ValType.V128;
    public const ValType FuncRef = ValType.FuncRef;
    public const ValType ExternRef = ValType.ExternRef;

    /// <summary>An empty type list.</summary>
    public static readonly ValType[] None = [];

    /// <summary>A module with one function of type <paramref name="parameters"/> → <paramref name="results"/>.</summary>
    public static TestModuleBuilder OneFunction(ValType[] parameters, ValType[] results, byte[] body, Action<TestModuleBuilder>? configure = null)
    {
        var builder = new TestModuleBuilder();
        configure?.Invoke(builder);
        uint type = builder.Type(parameters, results);
        builder.Function(type, body);
        return builder;
    }

    public static void Valid(ModuleInfo module, int definedIndex = 0) => FunctionBodyValidator.Validate(module, definedIndex);

    public static InvalidModuleException Invalid(ModuleInfo module, string reasonPrefix, int definedIndex = 0)
    {
        var e = Assert.Throws<InvalidModuleException>(() => FunctionBodyValidator.Validate(module, definedIndex));
        Assert.StartsWith(reasonPrefix, e.Reason);
        return e;
    }

    public static MalformedModuleException Malformed(ModuleInfo module, string reasonPrefix, int definedIndex = 0)
    {
        var e = Assert.Throws<MalformedModuleException>(() => FunctionBodyValidator.Validate(module, definedIndex));
        Assert.StartsWith(reasonPrefix, e.Reason);
        return e;
    }

    /// <summary>A body with no locals: the operators, then the final end.</summary>
    public static byte[] Body(params byte[] operators) => [0x00, .. operators, 0x0B];
}
