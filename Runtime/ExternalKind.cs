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
public sealed record ModuleImport(string ModuleName, string Name, ExternalKind Kind);

/// <summary>An item a module exports.</summary>
/// <param name="Name">The export name.</param>
/// <param name="Kind">What kind of item is exported.</param>
public sealed record ModuleExport(string Name, ExternalKind Kind);
