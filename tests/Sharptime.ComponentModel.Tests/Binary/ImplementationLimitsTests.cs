using Sharptime.ComponentModel.Binary;
using Sharptime.ComponentModel.Text;

namespace Sharptime.ComponentModel.Tests.Binary;

/// <summary>
/// The runtime's implementation limits (Wasmtime's): checked by <see cref="ComponentFrontEnd.DecodeForInstantiation"/>
/// only, never by plain validation.
/// </summary>
public sealed class ImplementationLimitsTests
{
    /// <summary>A core module with an export "f" of type [] -> [], instantiated as core instance $m.</summary>
    private const string CoreF = """
        (core module $M (func (export "f")))
        (core instance $m (instantiate $M))
        """;

    private static void ExceedsLimit(string text, string limit)
    {
        var bytes = ComponentWat.ToBinary(text);
        ComponentFrontEnd.DecodeAndValidate(bytes);
        var e = Assert.Throws<InvalidModuleException>(() => ComponentFrontEnd.DecodeForInstantiation(bytes));
        Assert.Contains(limit, e.Reason);
    }

    private static void WithinLimits(string text) => ComponentFrontEnd.DecodeForInstantiation(ComponentWat.ToBinary(text));

    [Fact]
    public void RootCannotImportAComponent() =>
        ExceedsLimit("""(component (import "c" (component)))""", ImplementationLimits.RootComponentImport);

    [Fact]
    public void RootCannotAliasAComponentOutOfAnImportedInstance() =>
        ExceedsLimit("""
            (component
              (import "i" (instance $i (export "c" (component))))
              (alias export $i "c" (component $c)))
            """, ImplementationLimits.RootComponentImport);

    [Fact]
    public void NestedComponentsMayImportComponents() =>
        WithinLimits("""(component (component (import "c" (component))))""");

    [Fact]
    public void RootCannotExportAComponent() =>
        ExceedsLimit("""(component (component $c) (export "c" (component $c)))""", ImplementationLimits.RootComponentExport);

    [Fact]
    public void RootCannotExportAComponentInsideAnInstance() =>
        ExceedsLimit("""
            (component
              (component $c)
              (instance $i (export "c" (component $c)))
              (export "i" (instance $i)))
            """, ImplementationLimits.RootComponentExport);

    [Fact]
    public void RootCannotReexportAnImportedFunction() =>
        ExceedsLimit("""(component (import "f" (func $f)) (export "f" (func $f)))""", ImplementationLimits.ReexportedImportFunction);

    [Fact]
    public void RootCannotReexportAFunctionOfAnImportedInstance() =>
        ExceedsLimit("""
            (component
              (import "i" (instance $i (export "f" (func))))
              (alias export $i "f" (func $f))
              (export "g" (func $f)))
            """, ImplementationLimits.ReexportedImportFunction);

    [Fact]
    public void RootCannotReexportAnImportedInstanceWithFunctions() =>
        ExceedsLimit("""
            (component
              (import "i" (instance $i (export "f" (func))))
              (export "j" (instance $i)))
            """, ImplementationLimits.ReexportedImportFunction);

    [Fact]
    public void RootCannotExportABundleOfImportedFunctions() =>
        ExceedsLimit("""
            (component
              (import "f" (func $f))
              (instance $i (export "f" (func $f)))
              (export "i" (instance $i)))
            """, ImplementationLimits.ReexportedImportFunction);

    [Fact]
    public void RootMayExportALiftedFunction() =>
        WithinLimits($$"""
            (component
              {{CoreF}}
              (func $f (canon lift (core func $m "f")))
              (export "f" (func $f)))
            """);

    [Fact]
    public void RootMayExportAnImportedInstanceOfTypesOnly() =>
        WithinLimits("""
            (component
              (import "i" (instance $i (export "t" (type (sub resource)))))
              (export "j" (instance $i)))
            """);

    [Fact]
    public void ImportedFunctionsMayBeLoweredAndLiftedAgain() =>
        WithinLimits("""
            (component
              (import "f" (func $f))
              (core func $lowered (canon lower (func $f)))
              (func $g (canon lift (core func $lowered)))
              (export "f" (func $g)))
            """);
}
