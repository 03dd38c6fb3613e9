using Sharptime.Vm.MemoryImages;

namespace Sharptime.Artifacts.Sections;

/// <summary>
/// <c>.sharptime.images</c>: the memory initialisation images. u32 image count; per image u32 memory index, u64 offset
/// in the memory, u64 length (both page multiples); then u32 count and u32 indices of the active data segments the
/// images hold (their payloads are not repeated in <c>.sharptime.module</c>). Image i's bytes are section
/// <c>.sharptime.image.i</c>, page-aligned in the file so instances map it copy-on-write.
/// </summary>
internal static class ImagesSection
{
    public static string ImageSectionName(int index) => $".sharptime.image.{index}";

    public static byte[] Encode(MemoryImagePlan plan)
    {
        var w = new SectionWriter();
        w.U32((uint)plan.Images.Count);
        foreach (var image in plan.Images)
        {
            w.U32((uint)image.MemoryIndex);
            w.U64(image.MemoryOffset);
            w.U64(image.Length);
        }
        w.U32((uint)plan.CoveredSegments.Count);
        foreach (int segment in plan.CoveredSegments) w.U32((uint)segment);
        return w.ToArray();
    }

    /// <summary>The images as mappings of the file, with offsets from each image's section; covered segments in <paramref name="covered"/>.</summary>
    public static MemoryImageMapping[] Decode(ReadOnlySpan<byte> bytes, ArtifactReader reader, out int[] covered)
    {
        var r = new SectionReader(bytes, ArtifactFormat.ImagesSection);
        int n = r.Count(20, "image");
        var images = new MemoryImageMapping[n];
        for (int i = 0; i < n; i++)
        {
            int memory = (int)Math.Min(r.U32(), int.MaxValue);
            ulong offset = r.U64(), length = r.U64();
            var section = reader.Get(ImageSectionName(i));
            if ((ulong)section.Size != length) throw r.Invalid($"image {i} is {length} bytes but its section holds {section.Size}");
            images[i] = new MemoryImageMapping(memory, offset, length, section.Offset);
        }
        covered = new int[r.Count(4, "covered segment")];
        for (int i = 0; i < covered.Length; i++) covered[i] = (int)Math.Min(r.U32(), int.MaxValue);
        r.ExpectEnd();
        return images;
    }
}
