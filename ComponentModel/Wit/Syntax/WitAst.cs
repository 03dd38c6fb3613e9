using System.Collections.Generic;

namespace Sharptime.ComponentModel.Wit.Syntax;

internal sealed class AstGate
{
    /// <summary>Where the first attribute starts (meaningful only when one is present).</summary>
    public WitPos Pos;
    public bool IsPresent;
    public string? Since;
    public string? Unstable;
    public string? Deprecated;

    public WitStability ToStability() =>
        Since is null && Unstable is null && Deprecated is null ? WitStability.None : new WitStability(Since, Unstable, Deprecated);
}

internal abstract class AstNode
{
    public WitPos Pos;
    public string? Docs;
    public AstGate Gate = new AstGate();
}

internal sealed class AstPackageName
{
    public string Namespace = "";
    public string Name = "";
    public string? Version;
    public WitPos Pos;

    public WitPackageName ToName() => new WitPackageName(Namespace, Name, Version);
}

/// <summary>A use-path: a local name (<c>iface</c>) or a qualified one (<c>ns:pkg/iface@1.0.0</c>).</summary>
internal sealed class AstUsePath
{
    public AstPackageName? Package;
    public string Name = "";
    public WitPos Pos;

    public override string ToString() => Package is null ? Name : $"{Package.Namespace}:{Package.Name}/{Name}" + (Package.Version is null ? "" : "@" + Package.Version);
}

internal sealed class AstFile
{
    public string Path = "";
    public AstPackageName? Package;
    public string? PackageDocs;
    public List<AstTopUse> TopUses = new List<AstTopUse>();
    public List<AstNode> Items = new List<AstNode>();
    public List<AstNestedPackage> Nested = new List<AstNestedPackage>();
}

internal sealed class AstNestedPackage : AstNode
{
    public AstPackageName Name = new AstPackageName();
    public List<AstNode> Items = new List<AstNode>();
}

internal sealed class AstTopUse : AstNode
{
    public AstUsePath Path = new AstUsePath();
    public string? As;
    public string LocalName => As ?? Path.Name;
}

internal sealed class AstInterface : AstNode
{
    public string? Name;
    public AstFile File = null!;
    public List<AstNode> Items = new List<AstNode>();
}

internal sealed class AstWorld : AstNode
{
    public string Name = "";
    public AstFile File = null!;
    public List<AstNode> Items = new List<AstNode>();
}

internal sealed class AstUseName
{
    public string Name = "";
    public string? As;
    public WitPos Pos;
    public string LocalName => As ?? Name;
}

internal sealed class AstUse : AstNode
{
    public AstUsePath Path = new AstUsePath();
    public List<AstUseName> Names = new List<AstUseName>();
}

internal enum AstTypeDeclKind { Record, Variant, Enum, Flags, Resource, Alias }

internal sealed class AstMember
{
    public string Name = "";
    public AstType? Type;
    public string? Docs;
    public WitPos Pos;
}

internal sealed class AstTypeDecl : AstNode
{
    public AstTypeDeclKind Kind;
    public string Name = "";
    public List<AstMember> Members = new List<AstMember>();
    public List<AstFunc> Functions = new List<AstFunc>();
    public bool HasBody;
    public AstType? Alias;
}

internal sealed class AstParam
{
    public string Name = "";
    public AstType Type = null!;
    public WitPos Pos;
}

internal sealed class AstFunc : AstNode
{
    public string Name = "";
    public WitFunctionKind Kind;
    public bool Async;
    public List<AstParam> Params = new List<AstParam>();
    public AstType? Result;
}

internal enum AstExternKind { Path, Function, Interface }

/// <summary><c>import</c>/<c>export</c> in a world.</summary>
internal sealed class AstExtern : AstNode
{
    public bool IsExport;
    public AstExternKind Kind;
    public AstUsePath? Path;

    /// <summary>The plain name (empty for <c>import use-path;</c>).</summary>
    public string Name = "";
    public WitPos? NamePos;
    public AstFunc? Func;
    public AstInterface? Interface;
}

internal sealed class AstInclude : AstNode
{
    public AstUsePath Path = new AstUsePath();
    public List<AstUseName> With = new List<AstUseName>();
}

internal abstract class AstType
{
    public WitPos Pos;
}

internal sealed class AstPrimitive : AstType
{
    public WitPrimitiveKind Kind;
}

internal sealed class AstList : AstType
{
    public AstType Element = null!;
    public uint? Length;
}

internal sealed class AstTuple : AstType
{
    public List<AstType> Elements = new List<AstType>();
}

internal sealed class AstOption : AstType
{
    public AstType Some = null!;
}

internal sealed class AstResult : AstType
{
    public AstType? Ok;
    public AstType? Err;
}

internal sealed class AstHandle : AstType
{
    public bool Borrow;
    public string Name = "";
}

internal sealed class AstMap : AstType
{
    public AstType Key = null!;
    public AstType Value = null!;
}

internal sealed class AstFuture : AstType
{
    public AstType? Element;
}

internal sealed class AstStream : AstType
{
    public AstType? Element;
}

internal sealed class AstNamed : AstType
{
    public string Name = "";
}
