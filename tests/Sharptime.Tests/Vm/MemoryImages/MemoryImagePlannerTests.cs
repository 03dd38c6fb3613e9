using Microsoft.Win32.SafeHandles;
using Sharptime.Format;
using Sharptime.Vm;
using Sharptime.Vm.MemoryImages;

namespace Sharptime.Tests.Vm.MemoryImages;

/// <summary>The planner's images, their bytes, and the runtime image set an artifact loader builds from a file.</summary>
public sealed class MemoryImagePlannerTests
{
    private static readonly Engine Engine = new();
    private static readonly int Page = Environment.SystemPageSize;

    [Fact]
    public void ImageSpansTheSegmentsRoundedOutToPages()
    {
        var info = Module.FromText(Engine, """
            (module (memory 4) (data (i32.const 5000) "a") (data (i32.const 3) "b") (data (i32.const 9000) "cd"))
            """).Info;

        var plan = MemoryImagePlanner.Plan(info, Page);

        var image = Assert.Single(plan.Images);
        Assert.Equal(0, image.MemoryIndex);
        Assert.Equal(0UL, image.MemoryOffset);
        Assert.Equal((ulong)((9002 + Page - 1) / Page * Page), image.Length);
        Assert.Equal([0, 1, 2], plan.CoveredSegments);
    }

    [Fact]
    public void ImageStartsAtThePageOfItsFirstByte()
    {
        var info = Module.FromText(Engine, """(module (memory 4) (data (i32.const 70000) "xyz"))""").Info;

        var image = Assert.Single(MemoryImagePlanner.Plan(info, Page).Images);

        Assert.Equal((ulong)(70000 / Page * Page), image.MemoryOffset);
        Assert.Equal((ulong)Page, image.Length);
    }

    [Fact]
    public void ImageBytesAreTheSegmentsInOrder()
    {
        var info = Module.FromText(Engine, """(module (memory 1) (data (i32.const 2) "abcdef") (data (i32.const 4) "XY"))""").Info;
        var image = Assert.Single(MemoryImagePlanner.Plan(info, Page).Images);

        var bytes = new byte[image.Length];
        image.WriteTo(bytes);
        var streamed = new MemoryStream();
        image.WriteTo(streamed);

        Assert.Equal("\0\0abXYef\0"u8.ToArray(), bytes[..9]);
        Assert.All(bytes[9..], b => Assert.Equal(0, b));
        Assert.Equal(bytes, streamed.ToArray());
    }

    [Fact]
    public void EachDefinedMemoryGetsItsOwnImageAndATrapAfterItsLastSegmentDoesNotMatter()
    {
        // The decoder rejects several memories today, so the second memory is added to a decoded module by hand.
        var info = Module.FromText(Engine, """
            (module (memory 1) (data (i32.const 0) "zero") (data (i32.const 8192) "one") (data (i32.const 100) "two"))
            """).Info;
        info.Memories.Add(new WasmMemoryType(new Limits(1, null)));
        info.Data[1] = Retarget(info.Data[1], 1);
        info.Memories.Add(new WasmMemoryType(new Limits(0, null)));
        info.Data.Add(Retarget(info.Data[2], 2)); // Out of bounds of an empty memory: traps, after the others.

        var plan = MemoryImagePlanner.Plan(info, Page);

        Assert.Equal([0, 1], plan.Images.Select(i => i.MemoryIndex));
        Assert.Equal([0, 1, 2], plan.CoveredSegments);
        var second = new byte[plan.Images[1].Length];
        plan.Images[1].WriteTo(second);
        Assert.Equal("one"u8.ToArray(), second[(8192 % Page)..(8192 % Page + 3)]);
    }

    [Fact]
    public void AMemoryWhoseLastSegmentFollowsAPossibleTrapHasNoImage()
    {
        var info = Module.FromText(Engine, """
            (module (memory 1) (data (i32.const 0) "zero") (data (i32.const 65536) "traps") (data (i32.const 8) "late"))
            """).Info;
        info.Memories.Add(new WasmMemoryType(new Limits(1, null)));
        info.Data[1] = Retarget(info.Data[1], 1); // out of bounds of memory 1, between memory 0's two segments

        var plan = MemoryImagePlanner.Plan(info, Page);

        Assert.Empty(plan.Images);
        Assert.Empty(plan.CoveredSegments);
    }

    [Fact]
    public void ImageSetFromAFileAtAnOffsetMapsTheImage()
    {
        var info = Module.FromText(Engine, """(module (memory 2) (data (i32.const 65000) "across a page boundary"))""").Info;
        var plan = MemoryImagePlanner.Plan(info, Page);
        var image = Assert.Single(plan.Images);
        string path = Path.GetTempFileName();
        try
        {
            using (var stream = File.OpenWrite(path))
            {
                stream.Write(new byte[2 * Page]); // what an artifact keeps before its images
                image.WriteTo(stream);
            }
            using var file = File.OpenHandle(path);
            var set = new MemoryImageSet(info, file, plan.LayOut(2 * Page), plan.CoveredSegments);
            Assert.True(set.TryGetImage(0, out var mapping));
            Assert.True(set.Covers(0));
            using var memory = new LinearMemory(2, null);

            Assert.True(memory.TryMapImage(mapping.MemoryOffset, mapping.Length, set.File, mapping.FileOffset));

            Assert.Equal("across a page boundary"u8.ToArray(), memory.Span.Slice(65000, 22).ToArray());
            memory.Span[65000] = (byte)'A'; // private: the file keeps its bytes
            Assert.Equal((byte)'a', File.ReadAllBytes(path)[2 * Page + (int)(65000 - mapping.MemoryOffset)]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ImageSetRejectsEntriesThatDoNotFitTheModuleOrTheFile()
    {
        var info = Module.FromText(Engine, """(module (memory 1) (data (i32.const 10) "abc") (data "passive"))""").Info;
        var set = Assert.IsType<MemoryImageSet>(MemoryImageSet.ForModule(info, "t"));
        var good = set.Images[0];
        SafeFileHandle file = set.File;

        Assert.Throws<ArgumentException>(() => new MemoryImageSet(info, file, [good with { MemoryIndex = 1 }], []));
        Assert.Throws<ArgumentException>(() => new MemoryImageSet(info, file, [good with { MemoryOffset = 1 }], []));
        Assert.Throws<ArgumentException>(() => new MemoryImageSet(info, file, [good with { Length = 0 }], []));
        Assert.Throws<ArgumentException>(() => new MemoryImageSet(info, file, [good with { Length = 65536UL * 2 }], []));
        Assert.Throws<ArgumentException>(() => new MemoryImageSet(info, file, [good with { FileOffset = Page }], []));
        Assert.Throws<ArgumentException>(() => new MemoryImageSet(info, file, [good, good], []));
        Assert.Throws<ArgumentException>(() => new MemoryImageSet(info, file, [good], [1]));
        Assert.Throws<ArgumentException>(() => new MemoryImageSet(info, file, [good], [2]));
        Assert.Throws<ArgumentException>(() => new MemoryImageSet(info, file, [], [0]));
        Assert.NotNull(new MemoryImageSet(info, file, [good], [0]));
    }

    [Fact]
    public void InMemoryImagesLiveInASealedMemfd()
    {
        var info = Module.FromText(Engine, """(module (memory 1) (data (i32.const 0) "x"))""").Info;
        var set = MemoryImageSet.ForModule(info, null)!;

        int seals = NativeMethods.GetSeals((int)set.File.DangerousGetHandle());

        int expected = NativeMethods.FSealShrink | NativeMethods.FSealGrow | NativeMethods.FSealWrite;
        Assert.Equal(expected, seals & expected);
        Assert.Throws<UnauthorizedAccessException>(() => RandomAccess.Write(set.File, "y"u8, 0)); // EPERM: F_SEAL_WRITE
    }

    [Fact]
    public void MapImageRefusesRangesOutsideTheCommittedMemory()
    {
        var info = Module.FromText(Engine, """(module (memory 1) (data (i32.const 0) "x"))""").Info;
        var set = MemoryImageSet.ForModule(info, null)!;
        using var memory = new LinearMemory(1, 2);

        Assert.False(memory.TryMapImage(65536, (ulong)Page, set.File, 0));
        Assert.False(memory.TryMapImage(1, (ulong)Page, set.File, 0));
        Assert.False(memory.HasImage);
        Assert.Equal(0, memory.Span[0]);
    }

    private static DataSegment Retarget(DataSegment seg, uint memory) => new()
    {
        Mode = seg.Mode,
        MemoryIndex = memory,
        MemoryOffset = seg.MemoryOffset,
        DataOffset = seg.DataOffset,
        DataLength = seg.DataLength,
        Offset = seg.Offset,
    };
}
