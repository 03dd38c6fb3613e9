using Sharptime.Text;

namespace Sharptime.ComponentModel.Text;

internal static class SortInfo
{
    public const int Count = (int)Sort.Instance + 1;

    public static bool IsCore(this Sort s) => s <= Sort.CoreInstance;

    /// <summary>The <c>core:sort</c> byte (matching the core importdesc opcodes, then 0x10..0x12).</summary>
    public static byte CoreByte(this Sort s) => s switch
    {
        Sort.CoreFunc => 0x00,
        Sort.CoreTable => 0x01,
        Sort.CoreMemory => 0x02,
        Sort.CoreGlobal => 0x03,
        Sort.CoreTag => 0x04,
        Sort.CoreType => 0x10,
        Sort.CoreModule => 0x11,
        Sort.CoreInstance => 0x12,
        _ => throw new ArgumentOutOfRangeException(nameof(s)),
    };

    /// <summary>Writes the <c>sort</c> production: <c>0x00 core:sort</c> or the component sort byte.</summary>
    public static void Write(this Sort s, ByteBuffer b)
    {
        if (s.IsCore())
        {
            b.Byte(0x00);
            b.Byte(s.CoreByte());
            return;
        }
        b.Byte(s switch { Sort.Func => 0x01, Sort.Value => 0x02, Sort.Type => 0x03, Sort.Component => 0x04, _ => 0x05 });
    }

    /// <summary>Word used in errors ("unknown core func $f").</summary>
    public static string Word(this Sort s) => s switch
    {
        Sort.CoreFunc => "core func",
        Sort.CoreTable => "core table",
        Sort.CoreMemory => "core memory",
        Sort.CoreGlobal => "core global",
        Sort.CoreTag => "core tag",
        Sort.CoreType => "core type",
        Sort.CoreModule => "core module",
        Sort.CoreInstance => "core instance",
        Sort.Func => "func",
        Sort.Value => "value",
        Sort.Type => "type",
        Sort.Component => "component",
        _ => "instance",
    };
}

/// <summary>What a scope's definitions turn into: sections of a component, or declarators of a type.</summary>
internal enum ScopeKind : byte
{
    Component,
    ComponentType,
    InstanceType,
    /// <summary>A core module type: only the core type space is referenced.</summary>
    ModuleType,
}

/// <summary>
/// One level of index spaces: a component being encoded, or a component/instance/module type whose declarators
/// start with empty index spaces. Definitions are appended in text order, each becoming a section item (merged with
/// the previous item when it is of the same section, as the binary format allows) or a declarator.
/// </summary>
internal sealed class ComponentScope
{
    private readonly Dictionary<string, uint>?[] _ids = new Dictionary<string, uint>?[SortInfo.Count];
    private readonly uint[] _counts = new uint[SortInfo.Count];

    // Component scopes: the output so far and the section being filled.
    private readonly ByteBuffer _out = new();
    private readonly ByteBuffer _items = new();
    private byte _sectionId = 0xFF;
    private uint _itemCount;

    // Type scopes: the declarators.
    private uint _declCount;

    public ComponentScope(ScopeKind kind, string? name, ComponentScope? parent)
    {
        Kind = kind;
        Name = name;
        Parent = parent;
    }

    public ScopeKind Kind { get; }

    /// <summary>Exports written on definitions (<c>(func (export "f") ...)</c>), emitted after the last field.</summary>
    public List<(byte[] Item, Sort Sort)> DeferredExports { get; } = [];

    /// <summary>The identifier of the component or type (without <c>$</c>), for outer aliases.</summary>
    public string? Name { get; }

    public ComponentScope? Parent { get; }

    public uint CountOf(Sort s) => _counts[(int)s];

    /// <summary>Appends an entry to a sort's index space, binding <paramref name="id"/> when given.</summary>
    /// <returns>The new index, or null when the identifier is already bound (the caller reports it).</returns>
    public uint? Define(Sort s, string? id)
    {
        uint index = _counts[(int)s];
        if (id is not null)
        {
            var ids = _ids[(int)s] ??= new Dictionary<string, uint>(StringComparer.Ordinal);
            if (!ids.TryAdd(id, index)) return null;
        }
        _counts[(int)s] = index + 1;
        return index;
    }

    public bool TryResolve(Sort s, string id, out uint index)
    {
        index = 0;
        return _ids[(int)s] is { } ids && ids.TryGetValue(id, out index);
    }

    /// <summary>Adds one item to a component section; consecutive items of the same vector section share it.</summary>
    public void Item(byte sectionId, ReadOnlySpan<byte> item)
    {
        bool vector = sectionId is not (1 or 4 or 9);
        if (_sectionId != sectionId || !vector) Flush();
        _sectionId = sectionId;
        _items.Bytes(item);
        _itemCount++;
        if (!vector) Flush();
    }

    /// <summary>Adds a declarator to a type scope (its tag byte, then its body).</summary>
    public void Decl(byte tag, ReadOnlySpan<byte> body)
    {
        _items.Byte(tag);
        _items.Bytes(body);
        _declCount++;
    }

    private void Flush()
    {
        if (_sectionId == 0xFF) return;
        _out.Byte(_sectionId);
        var content = new ByteBuffer(_items.Length + 5);
        bool vector = _sectionId is not (1 or 4 or 9);
        if (vector) content.U32(_itemCount);
        content.Bytes(_items.Span);
        _out.Vec(content.Span);
        _items.Clear();
        _itemCount = 0;
        _sectionId = 0xFF;
    }

    /// <summary>The component's binary: preamble and sections.</summary>
    public byte[] FinishComponent()
    {
        Flush();
        var result = new ByteBuffer(_out.Length + 8);
        result.Bytes([0x00, 0x61, 0x73, 0x6D, 0x0D, 0x00, 0x01, 0x00]);
        result.Bytes(_out.Span);
        return result.ToArray();
    }

    /// <summary>The declarator vector of a type scope.</summary>
    public void FinishDecls(ByteBuffer into)
    {
        into.U32(_declCount);
        into.Bytes(_items.Span);
    }
}
