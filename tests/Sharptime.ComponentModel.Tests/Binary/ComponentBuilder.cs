using System.Text;

namespace Sharptime.ComponentModel.Tests.Binary;

/// <summary>A byte sink with the binary format's primitives (LEB128, names, vectors).</summary>
internal sealed class Enc
{
    private readonly List<byte> _bytes = [];

    public Enc U8(params byte[] bytes)
    {
        _bytes.AddRange(bytes);
        return this;
    }

    public Enc U32(uint value)
    {
        do
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            if (value != 0) b |= 0x80;
            _bytes.Add(b);
        }
        while (value != 0);
        return this;
    }

    public Enc Str(string s)
    {
        var utf8 = Encoding.UTF8.GetBytes(s);
        U32((uint)utf8.Length);
        _bytes.AddRange(utf8);
        return this;
    }

    /// <summary>An extern name in the plain <c>nameattributes</c> form (0x00 prefix).</summary>
    public Enc Name(string s) => U8(0x00).Str(s);

    public Enc Vec(int count, Action<Enc, int> item)
    {
        U32((uint)count);
        for (int i = 0; i < count; i++) item(this, i);
        return this;
    }

    public byte[] ToArray() => [.. _bytes];
}

/// <summary>Builds component binaries by hand, section by section.</summary>
internal static class CB
{
    // Primitive value type codes.
    public const byte Bool = 0x7F, U8 = 0x7D, S32 = 0x7A, U32 = 0x79, U64 = 0x77, F32 = 0x76, Char = 0x74, String = 0x73;

    // Core value types.
    public const byte I32 = 0x7F, I64 = 0x7E, CoreF32 = 0x7D;

    public static readonly byte[] Preamble = [0x00, 0x61, 0x73, 0x6D, 0x0D, 0x00, 0x01, 0x00];

    public static byte[] Component(params byte[][] sections)
    {
        var bytes = new List<byte>(Preamble);
        foreach (var s in sections) bytes.AddRange(s);
        return [.. bytes];
    }

    public static byte[] Section(byte id, byte[] payload) => new Enc().U8(id).U32((uint)payload.Length).U8(payload).ToArray();

    /// <summary>A section holding a vector of items.</summary>
    public static byte[] Items(byte id, params Action<Enc>[] items) =>
        Section(id, new Enc().Vec(items.Length, (e, i) => items[i](e)).ToArray());

    public static byte[] CoreModuleSection(byte[] module) => Section(1, module);

    public static byte[] NestedComponent(byte[] component) => Section(4, component);

    public static byte[] Custom(string name, params byte[] data) => Section(0, new Enc().Str(name).U8(data).ToArray());

    // ---- items -------------------------------------------------------------------------------------------

    /// <summary>Core instance: instantiate a module with (name, core instance) arguments.</summary>
    public static Action<Enc> CoreInstantiate(uint module, params (string Name, uint Instance)[] args) =>
        e => e.U8(0x00).U32(module).Vec(args.Length, (e2, i) => e2.Str(args[i].Name).U8(0x12).U32(args[i].Instance));

    /// <summary>Core instance bundled from core exports (core sort byte, index).</summary>
    public static Action<Enc> CoreBundle(params (string Name, byte Sort, uint Index)[] exports) =>
        e => e.U8(0x01).Vec(exports.Length, (e2, i) => e2.Str(exports[i].Name).U8(exports[i].Sort).U32(exports[i].Index));

    /// <summary>Alias of a core instance export: core sort 0x00 func, 0x02 memory.</summary>
    public static Action<Enc> AliasCoreExport(byte coreSort, uint instance, string name) =>
        e => e.U8(0x00, coreSort, 0x01).U32(instance).Str(name);

    /// <summary>Alias of a component instance export (sort byte: 0x01 func, 0x03 type, 0x05 instance).</summary>
    public static Action<Enc> AliasExport(byte sort, uint instance, string name) =>
        e => e.U8(sort, 0x00).U32(instance).Str(name);

    public static Action<Enc> AliasOuter(byte sort, uint count, uint index) => e => e.U8(sort, 0x02).U32(count).U32(index);

    /// <summary>A function type; params are (label, valtype bytes); result is a valtype or null.</summary>
    public static Action<Enc> FuncType(byte[]? result, params (string Label, byte[] Type)[] ps) => e =>
    {
        e.U8(0x40).Vec(ps.Length, (e2, i) => e2.Str(ps[i].Label).U8(ps[i].Type));
        if (result is null) e.U8(0x01, 0x00);
        else e.U8(0x00).U8(result);
    };

    public static Action<Enc> Raw(params byte[] bytes) => e => e.U8(bytes);

    public static Action<Enc> Record(params (string Label, byte[] Type)[] fields) =>
        e => e.U8(0x72).Vec(fields.Length, (e2, i) => e2.Str(fields[i].Label).U8(fields[i].Type));

    public static Action<Enc> Resource(uint? dtor = null) => e =>
    {
        e.U8(0x3F, 0x7F);
        if (dtor is uint d) e.U8(0x01).U32(d);
        else e.U8(0x00);
    };

    /// <summary>An instance type with (name, externtype bytes) exports.</summary>
    public static Action<Enc> InstanceType(params Action<Enc>[] declarators) =>
        e => { e.U8(0x42).U32((uint)declarators.Length); foreach (var d in declarators) d(e); };

    public static Action<Enc> ComponentType(params Action<Enc>[] declarators) =>
        e => { e.U8(0x41).U32((uint)declarators.Length); foreach (var d in declarators) d(e); };

    public static Action<Enc> DeclExport(string name, params byte[] externType) => e => e.U8(0x04).Name(name).U8(externType);

    public static Action<Enc> DeclImport(string name, params byte[] externType) => e => e.U8(0x03).Name(name).U8(externType);

    public static Action<Enc> DeclType(Action<Enc> type) => e => { e.U8(0x01); type(e); };

    public static Action<Enc> DeclAlias(Action<Enc> alias) => e => { e.U8(0x02); alias(e); };

    /// <summary>canon lift: core func, options (raw bytes per option), type index.</summary>
    public static Action<Enc> Lift(uint coreFunc, uint type, params byte[][] options) =>
        e => e.U8(0x00, 0x00).U32(coreFunc).Vec(options.Length, (e2, i) => e2.U8(options[i])).U32(type);

    public static Action<Enc> Lower(uint func, params byte[][] options) =>
        e => e.U8(0x01, 0x00).U32(func).Vec(options.Length, (e2, i) => e2.U8(options[i]));

    public static byte[] Utf8 => [0x00];
    public static byte[] Utf16 => [0x01];
    public static byte[] Memory(uint index) => new Enc().U8(0x03).U32(index).ToArray();
    public static byte[] Realloc(uint index) => new Enc().U8(0x04).U32(index).ToArray();
    public static byte[] PostReturn(uint index) => new Enc().U8(0x05).U32(index).ToArray();
    public static byte[] Async => [0x06];

    /// <summary>Import with a plain name and an externtype (0x01 func type i, 0x03 0x01 sub resource, ...).</summary>
    public static Action<Enc> Import(string name, params byte[] externType) => e => e.Name(name).U8(externType);

    /// <summary>Export of (sort, index) without a type ascription.</summary>
    public static Action<Enc> Export(string name, byte sort, uint index) => e => e.Name(name).U8(sort).U32(index).U8(0x00);

    public static Action<Enc> Instantiate(uint component, params (string Name, byte Sort, uint Index)[] args) =>
        e => e.U8(0x00).U32(component).Vec(args.Length, (e2, i) => e2.Str(args[i].Name).U8(args[i].Sort).U32(args[i].Index));

    // ---- core modules ------------------------------------------------------------------------------------

    /// <summary>
    /// A core module exporting functions (every body is <c>unreachable</c>, valid for any signature), optionally a
    /// memory exported as "mem", optionally importing functions.
    /// </summary>
    public static byte[] CoreModule(
        (string Name, byte[] Params, byte[] Results)[] funcs,
        bool memory = false,
        (string Module, string Name, byte[] Params, byte[] Results)[]? imports = null)
    {
        imports ??= [];
        var types = new List<(byte[] P, byte[] R)>();
        foreach (var i in imports) types.Add((i.Params, i.Results));
        foreach (var f in funcs) types.Add((f.Params, f.Results));
        var m = new Enc().U8(0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00);
        ModSection(m, 1, new Enc().Vec(types.Count, (e, i) => e.U8(0x60).U32((uint)types[i].P.Length).U8(types[i].P).U32((uint)types[i].R.Length).U8(types[i].R)));
        if (imports.Length > 0)
            ModSection(m, 2, new Enc().Vec(imports.Length, (e, i) => e.Str(imports[i].Module).Str(imports[i].Name).U8(0x00).U32((uint)i)));
        ModSection(m, 3, new Enc().Vec(funcs.Length, (e, i) => e.U32((uint)(imports.Length + i))));
        if (memory) ModSection(m, 5, new Enc().U32(1).U8(0x00).U32(1));
        int exportCount = funcs.Length + (memory ? 1 : 0);
        ModSection(m, 7, new Enc().Vec(exportCount, (e, i) =>
        {
            if (i < funcs.Length) e.Str(funcs[i].Name).U8(0x00).U32((uint)(imports.Length + i));
            else e.Str("mem").U8(0x02).U32(0);
        }));
        ModSection(m, 10, new Enc().Vec(funcs.Length, (e, _) => e.U8(0x03, 0x00, 0x00, 0x0B)));
        return m.ToArray();
    }

    private static void ModSection(Enc module, byte id, Enc payload)
    {
        var bytes = payload.ToArray();
        module.U8(id).U32((uint)bytes.Length).U8(bytes);
    }

    /// <summary>A type index as a valtype (a non-negative SLEB128).</summary>
    public static byte[] Idx(uint index)
    {
        var e = new Enc();
        // SLEB128 of a non-negative value: continue while the value does not fit 6 bits plus sign.
        ulong v = index;
        while (true)
        {
            byte b = (byte)(v & 0x7F);
            v >>= 7;
            if (v == 0 && (b & 0x40) == 0) { e.U8(b); break; }
            e.U8((byte)(b | 0x80));
        }
        return e.ToArray();
    }

    public static byte[] P(byte primitive) => [primitive];
}
