using Sharptime.ComponentModel.Binary;

namespace Sharptime.ComponentModel.Tests.Binary;

internal static class Check
{
    public static ComponentInfo Valid(byte[] bytes) => ComponentFrontEnd.DecodeAndValidate(bytes);

    public static InvalidModuleException Invalid(byte[] bytes, string fragment)
    {
        var e = Assert.Throws<InvalidModuleException>(() => ComponentFrontEnd.DecodeAndValidate(bytes));
        Assert.Contains(fragment, e.Reason);
        return e;
    }

    public static MalformedModuleException Malformed(byte[] bytes, string fragment)
    {
        var e = Assert.Throws<MalformedModuleException>(() => ComponentFrontEnd.DecodeAndValidate(bytes));
        Assert.Contains(fragment, e.Reason);
        return e;
    }
}

/// <summary>Components shared by several tests (and the mutation corpus).</summary>
internal static class Samples
{
    /// <summary>
    /// A core module with "f", "mem" and "realloc", instantiated, its exports aliased (core func 0 = f, core
    /// memory 0, core func 1 = realloc), then <paramref name="rest"/> sections.
    /// </summary>
    public static byte[] WithCore((string, byte[], byte[]) f, params byte[][] rest)
    {
        var sections = new List<byte[]>
        {
            CB.CoreModuleSection(CB.CoreModule(
                [f, ("realloc", [CB.I32, CB.I32, CB.I32, CB.I32], [CB.I32]), ("post", [CB.I32], [])], memory: true)),
            CB.Items(2, CB.CoreInstantiate(0)),
            CB.Items(6,
                CB.AliasCoreExport(0x00, 0, "f"),
                CB.AliasCoreExport(0x02, 0, "mem"),
                CB.AliasCoreExport(0x00, 0, "realloc"),
                CB.AliasCoreExport(0x00, 0, "post")),
        };
        sections.AddRange(rest);
        return CB.Component([.. sections]);
    }

    /// <summary>Lifts (string) -> u32 with utf8, memory and realloc, and exports it as "run".</summary>
    public static byte[] LiftString => WithCore(("f", [CB.I32, CB.I32], [CB.I32]),
        CB.Items(7, CB.FuncType(CB.P(CB.U32), ("s", CB.P(CB.String)))),
        CB.Items(8, CB.Lift(0, 0, CB.Utf8, CB.Memory(0), CB.Realloc(1))),
        CB.Items(11, CB.Export("run", 0x01, 0)));

    /// <summary>
    /// Imports a record type (type 1 is its imported name) and a function taking it, lowers the function, and feeds
    /// it to a core module that imports it.
    /// </summary>
    public static byte[] LowerRecord => CB.Component(
        CB.Items(7, CB.Record(("a", CB.P(CB.U32)), ("b", CB.P(CB.F32)))),
        CB.Items(10, CB.Import("rec", 0x03, 0x00, 0x00)),
        CB.Items(7, CB.FuncType(null, ("r", CB.Idx(1)))),
        CB.Items(10, CB.Import("log", 0x01, 0x02)),
        CB.Items(8, CB.Lower(0)),
        CB.Items(2, CB.CoreBundle(("log", 0x00, 0))),
        CB.CoreModuleSection(CB.CoreModule([("g", [], [])], imports: [("env", "log", [CB.I32, CB.CoreF32], [])])),
        CB.Items(2, CB.CoreInstantiate(0, ("env", 0))));

    /// <summary>
    /// Defines a resource, exports it (type 1 is the exported name), and exports a constructor and a method typed
    /// with the exported name.
    /// </summary>
    public static byte[] Resources => WithCore(("f", [CB.I32], [CB.I32]),
        CB.Items(7, CB.Resource()),                                // type 0
        CB.Items(8, CB.Raw(0x02, 0x00), CB.Raw(0x03, 0x00), CB.Raw(0x04, 0x00)),
        CB.Items(11, CB.Export("r", 0x03, 0)),                     // type 1
        CB.Items(7,
            CB.Raw(0x69, 0x01),                                    // type 2: own 1
            CB.Raw(0x68, 0x01),                                    // type 3: borrow 1
            CB.FuncType(CB.Idx(2), ("rep", CB.P(CB.U32))),         // type 4: constructor
            CB.FuncType(CB.P(CB.U32), ("self", CB.Idx(3)))),       // type 5: method
        CB.Items(8, CB.Lift(0, 4), CB.Lift(0, 5)),
        CB.Items(11,
            CB.Export("[constructor]r", 0x01, 0),
            CB.Export("[method]r.get", 0x01, 1)));

    /// <summary>
    /// An inner component importing an abstract resource and a function over it, instantiated by an outer one with
    /// the outer's own imports.
    /// </summary>
    public static byte[] NestedInstantiation => CB.Component(
        CB.NestedComponent(CB.Component(
            CB.Items(10, CB.Import("r", 0x03, 0x01)),
            CB.Items(7, CB.Raw(0x69, 0x00), CB.FuncType(null, ("x", CB.Idx(1)))),
            CB.Items(10, CB.Import("use", 0x01, 0x02)),
            CB.Items(11, CB.Export("use2", 0x01, 0)))),
        CB.Items(10, CB.Import("r", 0x03, 0x01)),
        CB.Items(7, CB.Raw(0x69, 0x00), CB.FuncType(null, ("x", CB.Idx(1)))),
        CB.Items(10, CB.Import("host-use", 0x01, 0x02)),
        CB.Items(5, CB.Instantiate(0, ("r", 0x03, 0), ("use", 0x01, 0))),
        CB.Items(6, CB.AliasExport(0x01, 0, "use2")),
        CB.Items(11, CB.Export("out", 0x01, 1)));

    public static IReadOnlyList<byte[]> All => [LiftString, LowerRecord, Resources, NestedInstantiation];
}
