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

    /// <summary>
    /// An async lift with a callback, and one of each kind of async builtin (streams, futures, waitables, context,
    /// errors), over a core module with memory and realloc.
    /// </summary>
    public static byte[] AsyncBuiltins => CB.Component(
        CB.CoreModuleSection(CB.CoreModule(
            [("f", [CB.I32], [CB.I32]), ("cb", [CB.I32, CB.I32, CB.I32], [CB.I32]), ("realloc", [CB.I32, CB.I32, CB.I32, CB.I32], [CB.I32])],
            memory: true)),
        CB.Items(2, CB.CoreInstantiate(0)),
        CB.Items(6,
            CB.AliasCoreExport(0x00, 0, "f"), CB.AliasCoreExport(0x00, 0, "cb"),
            CB.AliasCoreExport(0x00, 0, "realloc"), CB.AliasCoreExport(0x02, 0, "mem")),
        CB.Items(7,
            CB.Raw(0x66, 0x01, CB.U8),                              // type 0: stream<u8>
            CB.Raw(0x65, 0x01, CB.String),                          // type 1: future<string>
            CB.Raw(0x43, 0x01, 0x01, (byte)'x', CB.U32, 0x01, 0x00)), // type 2: async func(x: u32)
        CB.Items(8,
            CB.Raw(new Enc().U8(0x00, 0x00).U32(0).U32(2).U8(0x06).U8(0x07).U32(1).U32(2).ToArray()), // lift async callback
            CB.Raw(0x0E, 0x00),                                     // stream.new
            CB.Raw(0x0F, 0x00, 0x01, 0x03, 0x00),                   // stream.read (memory 0)
            CB.Raw(0x10, 0x00, 0x01, 0x03, 0x00),                   // stream.write
            CB.Raw(0x11, 0x00, 0x01),                               // stream.cancel-read async
            CB.Raw(0x13, 0x00),                                     // stream.drop-readable
            CB.Raw(0x15, 0x01),                                     // future.new
            CB.Raw(0x16, 0x01, 0x03, 0x03, 0x00, 0x04, 0x02, 0x00), // future.read (memory, realloc, utf8)
            CB.Raw(0x1F), CB.Raw(0x20, 0x00, 0x00), CB.Raw(0x21, 0x01, 0x00), CB.Raw(0x22), CB.Raw(0x23),
            CB.Raw(0x0A, 0x7F, 0x00), CB.Raw(0x0B, 0x7F, 0x01),     // context.get/set
            CB.Raw(0x0C, 0x01), CB.Raw(0x05), CB.Raw(0x06, 0x00), CB.Raw(0x0D),
            CB.Raw(0x24), CB.Raw(0x25),
            CB.Raw(0x1C, 0x01, 0x03, 0x00), CB.Raw(0x1E),           // error-context.new (memory 0), drop
            CB.Raw(0x09, 0x00, CB.String, 0x01, 0x03, 0x00)),        // task.return string (memory 0)
        CB.Items(11, CB.Export("run", 0x01, 0)));

    public static IReadOnlyList<byte[]> All => [LiftString, LowerRecord, Resources, NestedInstantiation, AsyncBuiltins];
}
