using Sharptime.Vm;

namespace Sharptime.Tests.Vm.MemoryImages;

/// <summary>Instantiation with copy-on-write memory images behaves exactly like copying the data segments.</summary>
public sealed class MemoryImageInstantiationTests
{
    private static readonly Engine Engine = new();

    public static TheoryData<string, string> Layouts => new()
    {
        { "one segment at zero", """(module (memory (export "mem") 1) (data (i32.const 0) "hello"))""" },
        { "unaligned offset", """(module (memory (export "mem") 1) (data (i32.const 4097) "abc\01\02\03"))""" },
        { "overlapping segments, later wins", """
            (module (memory (export "mem") 2)
              (data (i32.const 10) "aaaaaaaaaaaaaaaaaaaa")
              (data (i32.const 15) "BBBBB")
              (data (i32.const 4090) "cccccccccccccccc")
              (data (i32.const 4092) "DD"))
            """ },
        { "segment ending at the memory's end", """(module (memory (export "mem") 1) (data (i32.const 65531) "tail!"))""" },
        { "zero-length segments, one at the end", """
            (module (memory (export "mem") 1)
              (data (i32.const 65536) "")
              (data (i32.const 100) "x")
              (data (i32.const 0) ""))
            """ },
        { "segments spread over many pages", """
            (module (memory (export "mem") 4)
              (data (i32.const 1) "first")
              (data (i32.const 70000) "second")
              (data (i32.const 200000) "third")
              (data (i32.const 262140) "end!"))
            """ },
        { "passive segments are left alone", """
            (module (memory (export "mem") 1)
              (data "passive")
              (data (i32.const 8) "active"))
            """ },
        { "all-zero data", """(module (memory (export "mem") 1) (data (i32.const 64) "\00\00\00\00"))""" },
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void ImageContentsEqualTheCopyPath(string layout, string wat)
    {
        var module = Module.FromText(Engine, wat);
        var (withImage, hasImage) = MemoryContents(module, imagesDisabled: false);
        var (copied, _) = MemoryContents(module, imagesDisabled: true);
        Assert.True(hasImage, layout);
        Assert.Equal(copied, withImage);
    }

    [Fact]
    public void ModuleWithOnlyEmptySegmentsMapsNothing()
    {
        var module = Module.FromText(Engine, """(module (memory (export "mem") 1) (data (i32.const 5) ""))""");
        Assert.Null(module.MemoryImages);
        var (contents, hasImage) = MemoryContents(module, imagesDisabled: false);
        Assert.False(hasImage);
        Assert.All(contents, b => Assert.Equal(0, b));
    }

    [Fact]
    public void WritesInOneInstanceDoNotShowInAnotherInstanceOrTheImage()
    {
        var module = Module.FromText(Engine, """(module (memory (export "mem") 1) (data (i32.const 0) "original"))""");
        using var store = new Store<int>(Engine, 0);
        var linker = new Linker<int>(Engine);
        var first = linker.Instantiate(store, module).GetMemory("mem")!;
        var second = linker.Instantiate(store, module).GetMemory("mem")!;

        first.WriteString(0, "CHANGED!");
        first.WriteByte(5000, 7);

        Assert.Equal("original", second.ReadString(0, 8));
        Assert.Equal(0, second.ReadByte(5000));
        using var otherStore = new Store<int>(Engine, 0);
        var third = linker.Instantiate(otherStore, module).GetMemory("mem")!;
        Assert.True(third.Linear.HasImage);
        Assert.Equal("original", third.ReadString(0, 8));
        Assert.Equal(0, third.ReadByte(5000));
    }

    [Fact]
    public void MemoryGrowsAfterAnImage()
    {
        var module = Module.FromText(Engine, """
            (module (memory (export "mem") 1 4) (data (i32.const 65530) "edge!!")
              (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
              (func (export "load") (param i32) (result i32) (i32.load8_u (local.get 0))))
            """);
        using var store = new Store<int>(Engine, 0);
        var instance = new Linker<int>(Engine).Instantiate(store, module);
        var memory = instance.GetMemory("mem")!;
        Assert.True(memory.Linear.HasImage);

        Assert.Equal(1, instance.GetFunction("grow")!.Call(2)[0].AsI32());

        Assert.Equal(3, memory.Size);
        Assert.Equal("edge!!", memory.ReadString(65530, 6));
        Assert.Equal(0, instance.GetFunction("load")!.Call(65536 * 3 - 1)[0].AsI32());
        memory.WriteByte(65536 * 2, 9);
        Assert.Equal(9, instance.GetFunction("load")!.Call(65536 * 2)[0].AsI32());
        Assert.Equal(-1, instance.GetFunction("grow")!.Call(2)[0].AsI32());
    }

    [Fact]
    public void GlobalGetOffsetFallsBackToCopying()
    {
        var module = Module.FromText(Engine, """
            (module (import "env" "at" (global i32)) (memory (export "mem") 1)
              (data (i32.const 0) "image?")
              (data (global.get 0) "copied"))
            """);
        using var store = new Store<int>(Engine, 0);
        var linker = new Linker<int>(Engine);
        linker.Define("env", "at", new Global(store, ValKind.I32, false, Val.FromI32(100)));
        var memory = linker.Instantiate(store, module).GetMemory("mem")!;

        Assert.False(memory.Linear.HasImage);
        Assert.Equal("image?", memory.ReadString(0, 6));
        Assert.Equal("copied", memory.ReadString(100, 6));
    }

    [Fact]
    public void ImportedMemoryIsWrittenByCopying()
    {
        var module = Module.FromText(Engine, """(module (import "env" "mem" (memory 1)) (data (i32.const 3) "into import"))""");
        using var store = new Store<int>(Engine, 0);
        var linker = new Linker<int>(Engine);
        var memory = new Memory(store, 1);
        linker.Define("env", "mem", memory);
        linker.Instantiate(store, module);

        Assert.Null(module.MemoryImages);
        Assert.False(memory.Linear.HasImage);
        Assert.Equal("into import", memory.ReadString(3, 11));
    }

    // As in linking.wast: the failed instance stays reachable through the funcref its element segment wrote.
    private const string TrapsAfterFirstSegment = """
        (module
          (import "env" "table" (table 1 funcref))
          (memory 1)
          (elem (i32.const 0) $peek)
          (func $peek (result i32) (i32.load8_u (i32.const 20)))
          (data (i32.const 20) "\2a")
          (data (i32.const 65536) "out of bounds"))
        """;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void OutOfBoundsSegmentTrapsAfterWritingTheEarlierOnes(bool imagesDisabled)
    {
        var module = Module.FromText(Engine, TrapsAfterFirstSegment);
        Assert.Null(module.MemoryImages);
        using var store = new Store<int>(Engine, 0);
        var table = new Table(store, ValKind.FuncRef, 1, null, Val.Null(ValKind.FuncRef));
        var linker = new Linker<int>(Engine);
        linker.Define("env", "table", table);

        Instantiator.MemoryImagesDisabled = imagesDisabled;
        try
        {
            var trap = Assert.Throws<TrapException>(() => linker.Instantiate(store, module));
            Assert.Equal(TrapCode.MemoryOutOfBounds, trap.Code);
        }
        finally
        {
            Instantiator.MemoryImagesDisabled = false;
        }

        Assert.Equal(0x2a, table.Get(0).AsFunc()!.Call()[0].AsI32());
    }

    [Fact]
    public void TrappingElementSegmentLeavesTheMemoryEmpty()
    {
        var module = Module.FromText(Engine, """
            (module
              (import "env" "table" (table 1 funcref))
              (memory 1)
              (elem (i32.const 0) $peek)
              (elem (i32.const 1) $peek)
              (func $peek (result i32) (i32.load8_u (i32.const 20)))
              (data (i32.const 20) "\2a"))
            """);
        Assert.Null(module.MemoryImages);
        using var store = new Store<int>(Engine, 0);
        var table = new Table(store, ValKind.FuncRef, 1, null, Val.Null(ValKind.FuncRef));
        var linker = new Linker<int>(Engine);
        linker.Define("env", "table", table);

        var trap = Assert.Throws<TrapException>(() => linker.Instantiate(store, module));

        Assert.Equal(TrapCode.TableOutOfBounds, trap.Code);
        Assert.Equal(0, table.Get(0).AsFunc()!.Call()[0].AsI32());
    }

    [Fact]
    public void CoveredActiveSegmentsAreDroppedLikeCopiedOnes()
    {
        var module = Module.FromText(Engine, """
            (module (memory (export "mem") 1) (data (i32.const 0) "abc")
              (func (export "init") (param i32) (memory.init 0 (i32.const 100) (i32.const 0) (local.get 0))))
            """);
        using var store = new Store<int>(Engine, 0);
        var instance = new Linker<int>(Engine).Instantiate(store, module);
        Assert.True(instance.GetMemory("mem")!.Linear.HasImage);

        instance.GetFunction("init")!.Call(0);
        var trap = Assert.Throws<TrapException>(() => instance.GetFunction("init")!.Call(1));

        Assert.Equal(TrapCode.MemoryOutOfBounds, trap.Code);
    }

    [Fact]
    public void LargeImageIsAPrivateMemfdMappingNotACopy()
    {
        var data = DataModules.Pattern(16 << 20, seed: 1);
        var module = Module.FromBytes(Engine, DataModules.WithData(300, (4096, data)));
        using var store = new Store<int>(Engine, 0);
        var memory = new Linker<int>(Engine).Instantiate(store, module).GetMemory("mem")!;
        long start = memory.Linear.Base + 4096;

        string? line = MappingAt(start);

        Assert.NotNull(line);
        Assert.Contains("/memfd:sharptime-data", line);
        Assert.Contains(" rw-p ", line);
        Assert.True(MappingEnd(line!) >= start + data.Length, line);
        Assert.True(memory.GetSpan(4096, data.Length).SequenceEqual(data));
    }

    /// <summary>The /proc/self/maps line whose range holds <paramref name="address"/>.</summary>
    private static string? MappingAt(long address)
    {
        foreach (var line in File.ReadLines("/proc/self/maps"))
        {
            int dash = line.IndexOf('-'), space = line.IndexOf(' ');
            long lo = Convert.ToInt64(line[..dash], 16), hi = Convert.ToInt64(line[(dash + 1)..space], 16);
            if (address >= lo && address < hi) return line;
        }
        return null;
    }

    private static long MappingEnd(string line) => Convert.ToInt64(line[(line.IndexOf('-') + 1)..line.IndexOf(' ')], 16);

    private static (byte[] Contents, bool HasImage) MemoryContents(Module module, bool imagesDisabled)
    {
        Instantiator.MemoryImagesDisabled = imagesDisabled;
        try
        {
            using var store = new Store<int>(Engine, 0);
            var memory = new Linker<int>(Engine).Instantiate(store, module).GetMemory("mem")!;
            return (memory.GetSpan().ToArray(), memory.Linear.HasImage);
        }
        finally
        {
            Instantiator.MemoryImagesDisabled = false;
        }
    }
}
