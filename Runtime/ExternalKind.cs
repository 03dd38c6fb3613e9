namespace Sharptime;

/// <summary>The kind of an import or export.</summary>
public enum ExternalKind
{
    /// <summary>A function.</summary>
    Function,
    /// <summary>A table.</summary>
    Table,
    /// <summary>A linear memory.</summary>
    Memory,
    /// <summary>A global.</summary>
    Global,
}

/// <summary>An import a module requires: the two-level name and what kind of item must be supplied.</summary>
/// <param name="ModuleName">First level of the import name.</param>
/// <param name="Name">Second level of the import name.</param>
/// <param name="Kind">What kind of item the import is.</param>
public sealed record ModuleImport(string ModuleName, string Name, ExternalKind Kind)
{
    /// <summary>The required function type, for function imports; otherwise null.</summary>
    public FunctionType? FunctionType { get; init; }

    /// <summary>The required type in WAT notation, e.g. <c>(func (param i32) (result i32))</c>, <c>(memory 1 2)</c>,
    /// <c>(table 0 funcref)</c>, <c>(global (mut i32))</c>; empty when unknown.</summary>
    public string Type { get; init; } = "";
}

/// <summary>An item a module exports.</summary>
/// <param name="Name">The export name.</param>
/// <param name="Kind">What kind of item is exported.</param>
public sealed record ModuleExport(string Name, ExternalKind Kind)
{
    /// <summary>The function's type, for function exports; otherwise null.</summary>
    public FunctionType? FunctionType { get; init; }

    /// <summary>The exported item's type in WAT notation (see <see cref="ModuleImport.Type"/>); empty when unknown.</summary>
    public string Type { get; init; } = "";
}
