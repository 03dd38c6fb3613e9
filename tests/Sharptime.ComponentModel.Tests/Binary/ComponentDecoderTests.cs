using Sharptime.ComponentModel.Binary;
using Sharptime.Format;

namespace Sharptime.ComponentModel.Tests.Binary;

public sealed class PreambleTests
{
    [Fact]
    public void IsComponentRecognisesTheLayerByte()
    {
        Assert.True(ComponentFrontEnd.IsComponent(CB.Preamble));
        Assert.False(ComponentFrontEnd.IsComponent([0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00]));
        Assert.False(ComponentFrontEnd.IsComponent([0x00, 0x61, 0x73]));
    }

    [Fact]
    public void EmptyComponentDecodes()
    {
        var info = Check.Valid(CB.Component());
        Assert.Empty(info.Type.Imports);
        Assert.Empty(info.Type.Exports);
    }

    [Fact]
    public void CoreModuleHeaderIsNotAComponent() =>
        Check.Malformed([0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00], "found a core module");

    [Fact]
    public void UnknownVersionIsMalformed() =>
        Check.Malformed([0x00, 0x61, 0x73, 0x6D, 0x0C, 0x00, 0x01, 0x00], "version");

    [Fact]
    public void TruncatedPreambleIsMalformed() => Check.Malformed([0x00, 0x61, 0x73, 0x6D, 0x0D], "unexpected end");

    [Fact]
    public void UnknownSectionIdIsMalformed() => Check.Malformed(CB.Component(CB.Section(13, [])), "unknown section id");

    [Fact]
    public void SectionWithTrailingBytesIsMalformed() =>
        Check.Malformed(CB.Component(CB.Section(7, [0x00, 0x00])), "section size mismatch");

    [Fact]
    public void CustomSectionsAreRecorded()
    {
        var info = Check.Valid(CB.Component(CB.Custom("hello", 1, 2, 3)));
        var custom = Assert.Single(info.CustomSections);
        Assert.Equal("hello", custom.Name);
        Assert.Equal(3, custom.DataLength);
    }
}

public sealed class CoreSectionTests
{
    [Fact]
    public void CoreModuleIsDecodedAndTyped()
    {
        var info = Check.Valid(CB.Component(CB.CoreModuleSection(CB.CoreModule([("f", [CB.I32], [CB.I64])], memory: true))));
        var module = Assert.Single(info.CoreModules);
        Assert.Equal(2, module.Type.Exports.Length);
        Assert.Equal(ExternKind.Func, module.Type.Exports[0].Type.Kind);
    }

    [Fact]
    public void InvalidCoreModuleReportsAnAbsoluteOffset()
    {
        // A function body `i32.add end` with no operands fails core validation inside the module.
        var module = new Enc().U8(0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00)
            .U8(0x01, 0x04, 0x01, 0x60, 0x00, 0x00)
            .U8(0x03, 0x02, 0x01, 0x00)
            .U8(0x0A, 0x05, 0x01, 0x03, 0x00, 0x6A, 0x0B).ToArray();
        var e = Assert.Throws<InvalidModuleException>(() => ComponentFrontEnd.DecodeAndValidate(CB.Component(CB.CoreModuleSection(module))));
        Assert.True(e.ByteOffset > CB.Preamble.Length + 2, $"offset {e.ByteOffset}");
    }

    [Fact]
    public void MalformedCoreModuleIsMalformed() =>
        Assert.Throws<MalformedModuleException>(() => ComponentFrontEnd.DecodeAndValidate(CB.Component(CB.CoreModuleSection([0x00, 0x61, 0x73, 0x6D, 0x02]))));

    [Fact]
    public void CoreInstantiationRequiresEveryImportedModule() =>
        Check.Invalid(CB.Component(
            CB.CoreModuleSection(CB.CoreModule([], imports: [("env", "f", [], [])])),
            CB.Items(2, CB.CoreInstantiate(0))), "missing module instantiation argument named `env`");

    [Fact]
    public void CoreInstantiationChecksImportTypes() =>
        Check.Invalid(CB.Component(
            CB.CoreModuleSection(CB.CoreModule([("g", [], [])])),
            CB.Items(2, CB.CoreInstantiate(0)),
            CB.CoreModuleSection(CB.CoreModule([], imports: [("env", "g", [CB.I32], [])])),
            CB.Items(2, CB.CoreInstantiate(1, ("env", 0)))), "type mismatch");

    [Fact]
    public void CoreModuleImportsAreUniqueInComponents() =>
        Check.Invalid(CB.Component(CB.CoreModuleSection(CB.CoreModule([], imports: [("m", "f", [], []), ("m", "f", [], [])]))), "duplicate import name `m:f`");

    [Fact]
    public void CoreInstantiationOfUnknownModuleIsInvalid() =>
        Check.Invalid(CB.Component(CB.Items(2, CB.CoreInstantiate(0))), "module index out of bounds");

    [Fact]
    public void CoreExportAliasNeedsTheExport() =>
        Check.Invalid(CB.Component(
            CB.CoreModuleSection(CB.CoreModule([("g", [], [])])),
            CB.Items(2, CB.CoreInstantiate(0)),
            CB.Items(6, CB.AliasCoreExport(0x00, 0, "nope"))), "no export named `nope`");

    [Fact]
    public void CoreExportAliasChecksTheSort() =>
        Check.Invalid(CB.Component(
            CB.CoreModuleSection(CB.CoreModule([("g", [], [])])),
            CB.Items(2, CB.CoreInstantiate(0)),
            CB.Items(6, CB.AliasCoreExport(0x02, 0, "g"))), "is not a core memory");

    [Fact]
    public void CoreModuleTypeDecodes()
    {
        var info = Check.Valid(CB.Component(CB.Items(3, CB.Raw(0x50, 0x02, 0x01, 0x60, 0x00, 0x00, 0x03, 0x01, (byte)'f', 0x00, 0x00))));
        var type = Assert.IsType<CoreModuleType>(Assert.Single(info.Spaces.CoreTypes));
        Assert.Equal("f", Assert.Single(type.Exports).Name);
    }

    [Fact]
    public void ModuleTypeMemoriesAreBounded() =>
        Check.Invalid(CB.Component(CB.Items(3, CB.Raw([0x50, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, .. new Enc().U32(70000).ToArray()]))), "memory size");

    [Fact]
    public void ImplementsAttributeIsInvalidWhenTheFeatureIsOff()
    {
        // An import named "a" with attributes (0x02): one `implements` attribute naming "a:b/c"; an empty instance type.
        var bytes = CB.Component(
            CB.Items(7, CB.InstanceType()),
            CB.Items(10, CB.Raw([0x02, 0x01, (byte)'a', 0x01, 0x00, 0x05, .. "a:b/c"u8, 0x05, 0x00])));
        Check.Valid(bytes);
        var e = Assert.Throws<InvalidModuleException>(() => ComponentFrontEnd.DecodeAndValidate(bytes, ComponentFeatures.None));
        Assert.Contains("`cm-implements` feature is not active", e.Reason);
    }

    [Fact]
    public void NonFinalSubFunctionTypeDecodes()
    {
        var info = Check.Valid(CB.Component(CB.Items(3, CB.Raw(0x00, 0x50, 0x00, 0x60, 0x00, 0x00))));
        var type = Assert.IsType<CoreFunctionType>(Assert.Single(info.Spaces.CoreTypes));
        Assert.False(type.IsFinal);
    }

    [Fact]
    public void FinalSubFunctionTypeIsAPlainFunctionType()
    {
        var info = Check.Valid(CB.Component(CB.Items(3, CB.Raw(0x4F, 0x00, 0x60, 0x01, CB.I32, 0x00))));
        var type = Assert.IsType<CoreFunctionType>(Assert.Single(info.Spaces.CoreTypes));
        Assert.True(type.IsFinal);
        Assert.Equal(new FuncType([ValType.I32], []), type.Type);
    }

    [Fact]
    public void SubTypeWithSupertypesIsUnsupported() =>
        Check.Malformed(CB.Component(CB.Items(3, CB.Raw(0x60, 0x00, 0x00), CB.Raw(0x00, 0x50, 0x01, 0x00, 0x60, 0x00, 0x00))), "supertypes are not supported");

    [Fact]
    public void GcStructTypeIsUnsupported() =>
        Check.Malformed(CB.Component(CB.Items(3, CB.Raw(0x5F, 0x00))), "not supported");

    /// <summary>
    /// A nested component importing a core module whose export "f" has the core type <paramref name="declared"/>
    /// (declared inside the module type), instantiated with a real module exporting <c>f: [] -> []</c>.
    /// </summary>
    private static byte[] ModuleArgumentWithExportType(params byte[] declared) => CB.Component(
        CB.Items(3, CB.Raw([0x50, 0x02, 0x01, .. declared, 0x03, 0x01, (byte)'f', 0x00, 0x00])),
        CB.NestedComponent(CB.Component(
            CB.Items(6, CB.Raw(0x00, 0x10, 0x02, 0x01, 0x00)),
            CB.Items(10, CB.Import("m", 0x00, 0x11, 0x00)))),
        CB.CoreModuleSection(CB.CoreModule([("f", [], [])])),
        // Instantiate component 0 with "m" = core module 0 (the core module sort is the two bytes 0x00 0x11).
        CB.Items(5, CB.Raw(0x00, 0x00, 0x01, 0x01, (byte)'m', 0x00, 0x11, 0x00)));

    [Fact]
    public void FinalFunctionTypeInAModuleTypeMatchesAModuleFunction() =>
        Check.Valid(ModuleArgumentWithExportType(0x60, 0x00, 0x00));

    [Fact]
    public void NonFinalFunctionTypeInAModuleTypeDoesNotMatchAModuleFunction() =>
        Check.Invalid(ModuleArgumentWithExportType(0x00, 0x50, 0x00, 0x60, 0x00, 0x00), "type mismatch");

    [Fact]
    public void NestedCoreModuleTypesAreInvalid() =>
        Check.Invalid(CB.Component(CB.Items(3, CB.Raw(0x50, 0x01, 0x01, 0x50, 0x00))), "cannot be nested");
}

public sealed class TypeSectionTests
{
    private static byte[] Types(params Action<Enc>[] types) => CB.Component(CB.Items(7, types));

    [Fact]
    public void DefinedValueTypesDecode()
    {
        var info = Check.Valid(Types(
            CB.Record(("a", CB.P(CB.U32))),
            CB.Raw(0x71, 0x02, 0x01, (byte)'a', 0x00, 0x00, 0x01, (byte)'b', 0x01, CB.String, 0x00), // variant
            CB.Raw(0x70, CB.U8),                  // list<u8>
            CB.Raw(0x67, CB.U8, 0x04),            // list<u8, 4>
            CB.Raw(0x6F, 0x02, CB.S32, CB.F32),   // tuple
            CB.Raw(0x6E, 0x01, 0x01, (byte)'x'),  // flags
            CB.Raw(0x6D, 0x01, 0x01, (byte)'y'),  // enum
            CB.Raw(0x6B, CB.Char),                // option
            CB.Raw(0x6A, 0x01, CB.U32, 0x00),     // result<u32>
            CB.Raw(0x66, 0x01, CB.U8),            // stream<u8>
            CB.Raw(0x65, 0x00),                   // future
            CB.Raw(0x64)));                       // error-context
        Assert.Equal(12, info.Spaces.Types.Count);
        Assert.IsType<VariantType>(info.Spaces.Types[1]);
        Assert.Equal(4u, Assert.IsType<ListType>(info.Spaces.Types[3]).Length);
    }

    [Fact]
    public void RecordLabelsAreUniqueIgnoringCase() =>
        Check.Invalid(Types(CB.Record(("a-b", CB.P(CB.U32)), ("A-B", CB.P(CB.U32)))), "conflicts");

    [Fact]
    public void RecordLabelsAreKebabCase() => Check.Invalid(Types(CB.Record(("GoNnA", CB.P(CB.U32)))), "not in kebab case");

    [Fact]
    public void EmptyRecordIsInvalid() => Check.Invalid(Types(CB.Raw(0x72, 0x00)), "at least one field");

    [Fact]
    public void TooManyFlagsAreInvalid()
    {
        var e = new Enc().U8(0x6E).Vec(33, (x, i) => x.Str($"f{i}")).ToArray();
        Check.Invalid(Types(CB.Raw(e)), "32 flags");
    }

    [Fact]
    public void ValTypeIndexMustBeInRange() => Check.Invalid(Types(CB.Raw(0x70, 0x05)), "type index out of bounds");

    [Fact]
    public void ValTypeIndexMustNameAValueType() =>
        Check.Invalid(Types(CB.FuncType(null), CB.Raw(0x70, 0x00)), "is not a defined type");

    [Fact]
    public void UnknownTypeFormIsMalformed() => Check.Malformed(Types(CB.Raw(0x10)), "invalid leading byte");

    [Fact]
    public void OwnNeedsAResource() => Check.Invalid(Types(CB.Raw(0x70, CB.U8), CB.Raw(0x69, 0x00)), "not a resource type");

    [Fact]
    public void BorrowIsNotAllowedInResults() =>
        Check.Invalid(Types(CB.Resource(), CB.Raw(0x68, 0x00), CB.FuncType(CB.Idx(1))), "cannot contain a `borrow`");

    [Fact]
    public void ZeroLengthFixedListIsInvalid() => Check.Invalid(Types(CB.Raw(0x67, CB.U8, 0x00)), "more than zero");

    [Fact]
    public void ValueTypeSizeIsBounded() =>
        Check.Invalid(Types(CB.Raw(0x67, CB.U64, 0x80, 0x80, 0x80, 0x10)), "maximum byte size"); // 8 * 2^25 = 2^28

    [Fact]
    public void StreamOfCharIsInvalid() => Check.Invalid(Types(CB.Raw(0x66, 0x01, CB.Char)), "stream<char>");

    [Fact]
    public void ResourceDestructorMustTakeI32() =>
        Check.Invalid(Samples.WithCore(("f", [CB.I32], [CB.I32]), CB.Items(7, CB.Resource(0))), "destructor");

    [Fact]
    public void ResourceWithDestructorIsValid()
    {
        var info = Check.Valid(Samples.WithCore(("f", [CB.I32], [CB.I32]), CB.Items(7, CB.Resource(2))));
        Assert.Equal(2u, Assert.IsType<ResourceType>(Assert.Single(info.Spaces.Types)).Destructor);
    }

    [Fact]
    public void ResourcesCannotBeDefinedInInstanceTypes() =>
        Check.Invalid(Types(CB.InstanceType(CB.DeclType(CB.Resource()))), "concrete component");

    [Fact]
    public void InstanceTypeCollectsExports()
    {
        var info = Check.Valid(Types(CB.InstanceType(
            CB.DeclType(CB.FuncType(null)),
            CB.DeclExport("f", 0x01, 0x00),
            CB.DeclExport("r", 0x03, 0x01))));
        var type = Assert.IsType<InstanceType>(Assert.Single(info.Spaces.Types));
        Assert.Equal(2, type.Exports.Length);
        Assert.IsType<ResourceType>(type.Exports[1].Type.Type);
    }

    [Fact]
    public void InstanceTypeExportNamesAreUnique() =>
        Check.Invalid(Types(CB.InstanceType(CB.DeclType(CB.FuncType(null)), CB.DeclExport("f", 0x01, 0x00), CB.DeclExport("F", 0x01, 0x00))), "conflicts");

    [Fact]
    public void ComponentTypeImportsAreOnlyInComponentTypes() =>
        Check.Malformed(Types(CB.InstanceType(CB.DeclImport("x", 0x03, 0x01))), "instance type declarator");

    [Fact]
    public void OuterAliasReachesTheEnclosingScope()
    {
        var info = Check.Valid(Types(CB.FuncType(null), CB.ComponentType(CB.DeclAlias(CB.AliasOuter(0x03, 1, 0)), CB.DeclImport("f", 0x01, 0x00))));
        var type = Assert.IsType<ComponentTypeInfo>(info.Spaces.Types[1]);
        Assert.Same(info.Spaces.Types[0], type.Imports[0].Type.Type);
    }

    [Fact]
    public void OuterAliasCountIsBounded() =>
        Check.Invalid(Types(CB.ComponentType(CB.DeclAlias(CB.AliasOuter(0x03, 5, 0)))), "invalid outer alias count");

    [Fact]
    public void DeclaratorNestingIsBounded()
    {
        // 100 instance types nested in each other: (instance (type (instance (type ...)))).
        var e = new Enc();
        for (int i = 0; i < 100; i++) e.U8(0x42, 0x01, 0x01);
        e.U8(0x42, 0x00);
        Check.Invalid(Types(CB.Raw(e.ToArray())), "nested too deeply");
    }

    [Fact]
    public void EffectiveTypeSizeIsBounded()
    {
        // t(k) = tuple(t(k-1), t(k-1)): 30 small definitions whose expanded tree has 2^30 nodes.
        var types = new Action<Enc>[30];
        types[0] = CB.Raw(0x6F, 0x01, CB.U8);
        for (int i = 1; i < types.Length; i++) types[i] = CB.Raw([0x6F, 0x02, .. CB.Idx((uint)i - 1), .. CB.Idx((uint)i - 1)]);
        Check.Invalid(Types(types), "effective type size");
    }

    [Fact]
    public void ValueTypeNestingIsBounded()
    {
        var types = new Action<Enc>[300];
        types[0] = CB.Raw(0x70, CB.U8);
        for (int i = 1; i < types.Length; i++) types[i] = CB.Raw([0x6B, .. CB.Idx((uint)i - 1)]);
        Check.Invalid(Types(types), "nesting is too deep");
    }
}

public sealed class CanonTests
{
    [Fact]
    public void LiftWithMatchingCoreTypeIsValid()
    {
        var info = Check.Valid(Samples.LiftString);
        var canon = Assert.Single(info.Canons);
        Assert.Equal(CanonKind.Lift, canon.Kind);
        Assert.Equal(0u, canon.Options.Memory);
        Assert.Equal(1u, canon.Options.Realloc);
        Assert.Equal("run", Assert.Single(info.Type.Exports).Name);
    }

    [Fact]
    public void LiftCoreTypeMustMatchTheFlattening() =>
        Check.Invalid(Samples.WithCore(("f", [CB.I32], [CB.I32]),
            CB.Items(7, CB.FuncType(CB.P(CB.U32), ("s", CB.P(CB.String)))),
            CB.Items(8, CB.Lift(0, 0, CB.Memory(0), CB.Realloc(1)))), "does not match");

    [Fact]
    public void LiftingStringsRequiresMemory() =>
        Check.Invalid(Samples.WithCore(("f", [CB.I32, CB.I32], [CB.I32]),
            CB.Items(7, CB.FuncType(CB.P(CB.U32), ("s", CB.P(CB.String)))),
            CB.Items(8, CB.Lift(0, 0))), "`memory` is required");

    [Fact]
    public void LiftingStringParamsRequiresRealloc() =>
        Check.Invalid(Samples.WithCore(("f", [CB.I32, CB.I32], [CB.I32]),
            CB.Items(7, CB.FuncType(CB.P(CB.U32), ("s", CB.P(CB.String)))),
            CB.Items(8, CB.Lift(0, 0, CB.Memory(0)))), "`realloc` is required");

    [Fact]
    public void ReallocMustHaveTheReallocSignature() =>
        Check.Invalid(Samples.WithCore(("f", [CB.I32, CB.I32], [CB.I32]),
            CB.Items(7, CB.FuncType(CB.P(CB.U32), ("s", CB.P(CB.String)))),
            CB.Items(8, CB.Lift(0, 0, CB.Memory(0), CB.Realloc(0)))), "incorrect signature");

    [Fact]
    public void StringEncodingAtMostOnce() =>
        Check.Invalid(Samples.WithCore(("f", [], []),
            CB.Items(7, CB.FuncType(null)),
            CB.Items(8, CB.Lift(0, 0, CB.Utf8, CB.Utf16))), "string-encoding");

    [Fact]
    public void PostReturnTakesTheCoreResults()
    {
        Check.Valid(Samples.WithCore(("f", [], [CB.I32]),
            CB.Items(7, CB.FuncType(CB.P(CB.U32))),
            CB.Items(8, CB.Lift(0, 0, CB.PostReturn(2)))));
        Check.Invalid(Samples.WithCore(("f", [], [CB.I32]),
            CB.Items(7, CB.FuncType(CB.P(CB.U32))),
            CB.Items(8, CB.Lift(0, 0, CB.PostReturn(1)))), "post-return");
    }

    [Fact]
    public void PostReturnIsNotAllowedOnLower() =>
        Check.Invalid(CB.Component(
            CB.Items(7, CB.FuncType(null)),
            CB.Items(10, CB.Import("f", 0x01, 0x00)),
            CB.CoreModuleSection(CB.CoreModule([("p", [], [])])),
            CB.Items(2, CB.CoreInstantiate(0)),
            CB.Items(6, CB.AliasCoreExport(0x00, 0, "p")),
            CB.Items(8, CB.Lower(0, CB.PostReturn(0)))), "not allowed");

    [Fact]
    public void LowerGivesTheFlattenedCoreType()
    {
        var info = Check.Valid(Samples.LowerRecord);
        var canon = Assert.Single(info.Canons);
        Assert.Equal(new FuncType([ValType.I32, ValType.F32], []), canon.CoreType);
    }

    [Fact]
    public void ManyParamsAreLiftedThroughMemory()
    {
        var ps = new (string, byte[])[17];
        for (int i = 0; i < ps.Length; i++) ps[i] = ($"p{i}", CB.P(CB.U32));
        Check.Valid(Samples.WithCore(("f", [CB.I32], []),
            CB.Items(7, CB.FuncType(null, ps)),
            CB.Items(8, CB.Lift(0, 0, CB.Memory(0), CB.Realloc(1)))));
        Check.Invalid(Samples.WithCore(("f", [CB.I32], []),
            CB.Items(7, CB.FuncType(null, ps)),
            CB.Items(8, CB.Lift(0, 0, CB.Memory(0)))), "`realloc` is required");
    }

    [Fact]
    public void VariantPayloadsJoin()
    {
        // variant { a(f32), b(u64) } flattens to (i32 discriminant, i64 joined payload).
        var info = Check.Valid(CB.Component(
            CB.Items(7, CB.Raw(0x71, 0x02, 0x01, (byte)'a', 0x01, CB.F32, 0x00, 0x01, (byte)'b', 0x01, CB.U64, 0x00)),
            CB.Items(10, CB.Import("v", 0x03, 0x00, 0x00)),
            CB.Items(7, CB.FuncType(null, ("v", CB.Idx(1)))),
            CB.Items(10, CB.Import("f", 0x01, 0x02)),
            CB.Items(8, CB.Lower(0))));
        Assert.Equal(new FuncType([ValType.I32, ValType.I64], []), info.Canons[0].CoreType);
    }

    [Fact]
    public void AsyncOptionNeedsAnAsyncFunctionType() =>
        Check.Invalid(CB.Component(
            CB.Items(7, CB.FuncType(null)),
            CB.Items(10, CB.Import("f", 0x01, 0x00)),
            CB.Items(8, CB.Lower(0, CB.Async))), "requires an async function type");

    [Fact]
    public void ResourceBuiltinsHaveTheirCoreTypes()
    {
        var info = Check.Valid(Samples.Resources);
        Assert.Equal(new FuncType([ValType.I32], [ValType.I32]), info.Canons[0].CoreType);
        Assert.Equal(new FuncType([ValType.I32], []), info.Canons[1].CoreType);
    }

    [Fact]
    public void ResourceNewNeedsALocallyDefinedResource() =>
        Check.Invalid(CB.Component(CB.Items(10, CB.Import("r", 0x03, 0x01)), CB.Items(8, CB.Raw(0x02, 0x00))), "defined in this component");

    [Fact]
    public void ResourceDropAcceptsImportedResources() =>
        Check.Valid(CB.Component(CB.Items(10, CB.Import("r", 0x03, 0x01)), CB.Items(8, CB.Raw(0x03, 0x00))));

    [Fact]
    public void StreamBuiltinsNeedAStreamType() =>
        Check.Invalid(CB.Component(CB.Items(7, CB.Raw(0x70, CB.U8)), CB.Items(8, CB.Raw(0x0E, 0x00))), "not a stream type");

    [Fact]
    public void TaskReturnFlattensItsResult()
    {
        var info = Check.Valid(CB.Component(CB.Items(8, CB.Raw(0x09, 0x00, CB.U64, 0x00))));
        Assert.Equal(new FuncType([ValType.I64], []), info.Canons[0].CoreType);
    }

    [Fact]
    public void AsyncLiftAndBuiltinsDecode()
    {
        var info = Check.Valid(Samples.AsyncBuiltins);
        var lift = info.Canons[0];
        Assert.True(lift.Options.Async);
        Assert.Equal(1u, lift.Options.Callback);
        Assert.Equal(new FuncType([], [ValType.I64]), info.Canons[1].CoreType);
        Assert.Equal(new FuncType([ValType.I32, ValType.I32, ValType.I32], [ValType.I32]), info.Canons[2].CoreType);
        Assert.Equal(new FuncType([ValType.I32, ValType.I32], []), info.Canons[^1].CoreType);
    }

    [Fact]
    public void CallbackRequiresAsync() =>
        Check.Invalid(Samples.WithCore(("f", [CB.I32, CB.I32, CB.I32], [CB.I32]),
            CB.Items(7, CB.FuncType(null)),
            CB.Items(8, CB.Raw(new Enc().U8(0x00, 0x00).U32(0).U32(1).U8(0x07).U32(0).U32(0).ToArray()))), "callback without async");

    [Fact]
    public void ContextSlotsAreBounded() => Check.Invalid(CB.Component(CB.Items(8, CB.Raw(0x0A, 0x7F, 0x02))), "context slot");

    [Fact]
    public void UnknownCanonIsMalformed() => Check.Malformed(CB.Component(CB.Items(8, CB.Raw(0x3F))), "canonical function");
}

public sealed class InstanceAndAliasTests
{
    private static readonly byte[] s_importInstance = CB.Component(
        CB.Items(7,
            CB.FuncType(null),
            CB.InstanceType(CB.DeclType(CB.FuncType(null)), CB.DeclExport("f", 0x01, 0x00))),
        CB.Items(10, CB.Import("i", 0x05, 0x01)),
        CB.Items(6, CB.AliasExport(0x01, 0, "f")));

    [Fact]
    public void ExportAliasAddsToTheSortsSpace() => Assert.Single(Check.Valid(s_importInstance).Spaces.Funcs);

    [Fact]
    public void ExportAliasNeedsTheExport() =>
        Check.Invalid(CB.Component(
            CB.Items(7, CB.InstanceType()),
            CB.Items(10, CB.Import("i", 0x05, 0x00)),
            CB.Items(6, CB.AliasExport(0x01, 0, "f"))), "no export named `f`");

    [Fact]
    public void ExportAliasChecksTheSort() =>
        Check.Invalid(CB.Component(
            CB.Items(7, CB.FuncType(null), CB.InstanceType(CB.DeclType(CB.FuncType(null)), CB.DeclExport("f", 0x01, 0x00))),
            CB.Items(10, CB.Import("i", 0x05, 0x01)),
            CB.Items(6, CB.AliasExport(0x05, 0, "f"))), "is not a instance");

    [Fact]
    public void OuterAliasOfModuleFromNestedComponent()
    {
        var info = Check.Valid(CB.Component(
            CB.CoreModuleSection(CB.CoreModule([])),
            CB.NestedComponent(CB.Component(CB.Items(6, CB.Raw(0x00, 0x11, 0x02, 0x01, 0x00))))));
        Assert.Single(info.Components);
    }

    [Fact]
    public void OuterAliasOfDefinedResourceAcrossComponentsIsInvalid() =>
        Check.Invalid(CB.Component(
            CB.Items(7, CB.Raw(0x3F, 0x7F, 0x00)),
            CB.NestedComponent(CB.Component(CB.Items(6, CB.AliasOuter(0x03, 1, 0))))), "resources");

    [Fact]
    public void InstantiationSubstitutesResources()
    {
        var info = Check.Valid(Samples.NestedInstantiation);
        var exported = info.Spaces.Funcs[1];
        var handle = Assert.IsType<HandleType>(exported.Params[0].Type);
        Assert.Same(info.Spaces.Types[0], handle.Resource);
    }

    [Fact]
    public void InstantiationNeedsEveryImport() =>
        Check.Invalid(CB.Component(
            CB.NestedComponent(CB.Component(CB.Items(7, CB.FuncType(null)), CB.Items(10, CB.Import("f", 0x01, 0x00)))),
            CB.Items(5, CB.Instantiate(0))), "missing import named `f`");

    [Fact]
    public void InstantiationChecksArgumentTypes() =>
        Check.Invalid(CB.Component(
            CB.NestedComponent(CB.Component(CB.Items(7, CB.FuncType(null)), CB.Items(10, CB.Import("f", 0x01, 0x00)))),
            CB.Items(7, CB.FuncType(null, ("x", CB.P(CB.U32)))),
            CB.Items(10, CB.Import("g", 0x01, 0x00)),
            CB.Items(5, CB.Instantiate(0, ("f", 0x01, 0)))), "type mismatch");

    [Fact]
    public void InstanceArgumentsMatchByWidth()
    {
        // The nested component needs an instance exporting f; the argument exports f and more.
        var inner = CB.Component(
            CB.Items(7, CB.FuncType(null), CB.InstanceType(CB.DeclType(CB.FuncType(null)), CB.DeclExport("f", 0x01, 0x00))),
            CB.Items(10, CB.Import("i", 0x05, 0x01)));
        Check.Valid(CB.Component(
            CB.NestedComponent(inner),
            CB.Items(7, CB.FuncType(null), CB.InstanceType(
                CB.DeclType(CB.FuncType(null)), CB.DeclExport("f", 0x01, 0x00), CB.DeclExport("g", 0x01, 0x00))),
            CB.Items(10, CB.Import("i", 0x05, 0x01)),
            CB.Items(5, CB.Instantiate(0, ("i", 0x05, 0)))));
    }

    [Fact]
    public void BundledInstanceExportsAreItsType()
    {
        var info = Check.Valid(CB.Component(
            CB.Items(7, CB.FuncType(null)),
            CB.Items(10, CB.Import("f", 0x01, 0x00)),
            CB.Items(5, CB.Raw(new Enc().U8(0x01).U32(1).Name("g").U8(0x01).U32(0).ToArray()))));
        Assert.Equal("g", Assert.Single(info.Spaces.Instances[0].Exports).Name);
    }

    [Fact]
    public void ComponentNestingIsBounded()
    {
        var bytes = CB.Component();
        for (int i = 0; i < 80; i++) bytes = CB.Component(CB.NestedComponent(bytes));
        Check.Invalid(bytes, "nested too deeply");
    }
}

public sealed class ImportExportTests
{
    private static byte[] ImportFunc(string name) => CB.Component(CB.Items(7, CB.FuncType(null)), CB.Items(10, CB.Import(name, 0x01, 0x00)));

    [Theory]
    [InlineData("a")]
    [InlineData("foo-bar2")]
    [InlineData("HTTP-fetch")]
    [InlineData("wasi:http/types")]
    [InlineData("wasi:http/types@0.2.0")]
    [InlineData("wasi:http/types@1.0.0-rc.1+build.5")]
    public void ValidNames(string name) => Check.Valid(ImportFunc(name));

    [Theory]
    [InlineData("")]
    [InlineData("Foo")]
    [InlineData("a--b")]
    [InlineData("-a")]
    [InlineData("1a")]
    [InlineData("wasi:http")]
    [InlineData("wasi:http/types@")]
    [InlineData("wasi:http/types@01.0.0")]
    [InlineData("[method]nodot")]
    [InlineData("[async]f")]
    [InlineData("ns:pkg/a/b")]
    [InlineData("a:b:c/d")]
    public void InvalidNames(string name) => Check.Invalid(ImportFunc(name), "");

    [Fact]
    public void ImportNamesAreStronglyUnique() =>
        Check.Invalid(CB.Component(CB.Items(7, CB.FuncType(null)), CB.Items(10, CB.Import("a-b", 0x01, 0x00), CB.Import("A-B", 0x01, 0x00))), "conflicts");

    [Fact]
    public void ExportNamesAreUnique() =>
        Check.Invalid(CB.Component(
            CB.Items(7, CB.FuncType(null)),
            CB.Items(10, CB.Import("f", 0x01, 0x00)),
            CB.Items(11, CB.Export("g", 0x01, 0), CB.Export("g", 0x01, 0))), "conflicts");

    [Fact]
    public void ExportsAddToTheIndexSpace() =>
        Assert.Equal(2, Check.Valid(CB.Component(
            CB.Items(7, CB.FuncType(null)),
            CB.Items(10, CB.Import("f", 0x01, 0x00)),
            CB.Items(11, CB.Export("g", 0x01, 0)))).Spaces.Funcs.Count);

    [Fact]
    public void CoreFunctionsCannotBeExported() =>
        Check.Invalid(Samples.WithCore(("f", [], []), CB.Items(11, CB.Raw(new Enc().Name("f").U8(0x00, 0x00).U32(0).U8(0x00).ToArray()))), "cannot be used here");

    [Fact]
    public void ExportAscriptionMustMatch() =>
        Check.Invalid(CB.Component(
            CB.Items(7, CB.FuncType(null), CB.FuncType(null, ("x", CB.P(CB.U32)))),
            CB.Items(10, CB.Import("f", 0x01, 0x00)),
            CB.Items(11, CB.Raw(new Enc().Name("g").U8(0x01).U32(0).U8(0x01, 0x01, 0x01).ToArray()))), "type mismatch");

    [Fact]
    public void AnnotatedNamesNeedAKnownResource() =>
        Check.Invalid(CB.Component(CB.Items(7, CB.FuncType(null)), CB.Items(10, CB.Import("[static]r.make", 0x01, 0x00))), "not known");

    [Fact]
    public void ConstructorsAndMethodsAreChecked()
    {
        var info = Check.Valid(Samples.Resources);
        Assert.Equal(3, info.Exports.Count);
    }

    [Fact]
    public void ConstructorMustReturnOwn() =>
        Check.Invalid(CB.Component(
            CB.Items(10, CB.Import("r", 0x03, 0x01)),
            CB.Items(7, CB.FuncType(CB.P(CB.U32))),
            CB.Items(10, CB.Import("[constructor]r", 0x01, 0x01))), "should return `(own $T)`");

    [Fact]
    public void MethodNeedsSelfBorrow() =>
        Check.Invalid(CB.Component(
            CB.Items(10, CB.Import("r", 0x03, 0x01)),
            CB.Items(7, CB.FuncType(null, ("x", CB.P(CB.U32)))),
            CB.Items(10, CB.Import("[method]r.m", 0x01, 0x01))), "called `self`");

    [Fact]
    public void ImplementsIsOnlyForInstances() =>
        Check.Invalid(CB.Component(
            CB.Items(7, CB.FuncType(null)),
            CB.Items(10, CB.Raw(new Enc().U8(0x02).Str("f").U32(1).U8(0x00).Str("a:b/c").U8(0x01, 0x00).ToArray()))), "implements");

    [Fact]
    public void AttributesAreRecorded()
    {
        var info = Check.Valid(CB.Component(
            CB.Items(7, CB.InstanceType()),
            CB.Items(10, CB.Raw(new Enc().U8(0x02).Str("primary").U32(2).U8(0x00).Str("wasi:keyvalue/store").U8(0x02).Str("db:1").U8(0x05, 0x00).ToArray()))));
        var import = Assert.Single(info.Imports);
        Assert.Equal("wasi:keyvalue/store", import.Implements);
        Assert.Equal("db:1", import.ExternalId);
    }

    [Fact]
    public void ImportedFunctionsUseOnlyImportedRecordNames() =>
        Check.Invalid(CB.Component(
            CB.Items(7, CB.Record(("a", CB.P(CB.U32))), CB.FuncType(null, ("r", CB.Idx(0)))),
            CB.Items(10, CB.Import("f", 0x01, 0x01))), "not valid to be used as import");

    [Fact]
    public void ExportsMustUseTheExportedNameOfAResource() =>
        // The lifted function returns (own $R) of the definition, not of the export `r`.
        Check.Invalid(Samples.WithCore(("f", [], [CB.I32]),
            CB.Items(7, CB.Resource(), CB.Raw(0x69, 0x00), CB.FuncType(CB.Idx(1))),
            CB.Items(8, CB.Lift(0, 2)),
            CB.Items(11, CB.Export("r", 0x03, 0), CB.Export("f", 0x01, 0))), "not valid to be used as export");

    [Fact]
    public void ImportsOfOneInstanceTypeHaveDistinctResources()
    {
        var info = Check.Valid(CB.Component(
            CB.Items(7, CB.InstanceType(CB.DeclExport("r", 0x03, 0x01))),
            CB.Items(10, CB.Import("a", 0x05, 0x00), CB.Import("b", 0x05, 0x00))));
        var a = (ResourceType)info.Spaces.Instances[0].Exports[0].Type.Type;
        var b = (ResourceType)info.Spaces.Instances[1].Exports[0].Type.Type;
        Assert.NotSame(a.Canonical, b.Canonical);
    }

    [Theory]
    [InlineData("wasi:http/types@0.2", ".3", true)]
    [InlineData("wasi:http/types@0.2", "3", false)]
    [InlineData("wasi:http/types@1", ".2.3-rc.1", true)]
    [InlineData("wasi:http/types@0.2.0", "1", false)]
    [InlineData("wasi:http/types", "1.0.0", false)]
    [InlineData("wasi:http/types@0.2", "..", false)]
    public void VersionSuffixNeedsACanonicalVersion(string name, string suffix, bool valid)
    {
        var bytes = CB.Component(
            CB.Items(7, CB.InstanceType()),
            CB.Items(10, CB.Raw(new Enc().U8(0x02).Str(name).U32(1).U8(0x01).Str(suffix).U8(0x05, 0x00).ToArray())));
        if (valid) Assert.Equal(suffix, Assert.Single(Check.Valid(bytes).Imports).VersionSuffix);
        else Check.Invalid(bytes, "version");
    }

    [Fact]
    public void ValueImportsMustBeConsumed() =>
        Check.Invalid(CB.Component(CB.Items(10, CB.Import("v", 0x02, 0x01, CB.U32))), "was not used");

    [Fact]
    public void ValueImportsCanBeExported() =>
        Check.Valid(CB.Component(CB.Items(10, CB.Import("v", 0x02, 0x01, CB.U32)), CB.Items(11, CB.Export("w", 0x02, 0))));

    [Fact]
    public void StartFunctionArityMustMatch() =>
        Check.Invalid(CB.Component(
            CB.Items(7, CB.FuncType(null, ("x", CB.P(CB.U32)))),
            CB.Items(10, CB.Import("f", 0x01, 0x00)),
            CB.Section(9, [0x00, 0x00, 0x00])), "requires 1 arguments");

    [Fact]
    public void StartFunctionConsumesItsArguments() =>
        Check.Valid(CB.Component(
            CB.Items(7, CB.FuncType(null, ("x", CB.P(CB.U32)))),
            CB.Items(10, CB.Import("f", 0x01, 0x00), CB.Import("v", 0x02, 0x01, CB.U32)),
            CB.Section(9, [0x00, 0x01, 0x00, 0x00])));
}
