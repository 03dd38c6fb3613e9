using Microsoft.Win32.SafeHandles;
using Sharptime.Format;

namespace Sharptime.Vm.MemoryImages;

/// <summary>
/// The runtime form of a module's memory images: one file (a memfd for modules compiled in memory, the artifact file
/// for loaded ones) and where each image lies in it. Shared by every instance of the module; each instance maps the
/// images copy-on-write, so instantiation costs the same whatever the data size.
/// </summary>
internal sealed class MemoryImageSet
{
    private readonly MemoryImageMapping[] _byMemory; // indexed by memory index; Length 0 where there is no image
    private readonly bool[] _covered;

    /// <summary>
    /// Describes images stored in <paramref name="file"/> for the module <paramref name="info"/>. The set keeps a
    /// reference to the handle (closing it makes later instantiations copy instead); it does not close it.
    /// </summary>
    /// <param name="info">The module the images belong to.</param>
    /// <param name="file">A readable file holding the images.</param>
    /// <param name="images">At most one image per defined memory.</param>
    /// <param name="coveredDataSegments">The active data segments the images hold (the instantiator skips them).</param>
    /// <exception cref="ArgumentException">An entry is inconsistent with the module or the file (bad index, unaligned or
    /// out-of-range offset, image past the file's end, covered segment that is not inside its memory's image).</exception>
    public MemoryImageSet(ModuleInfo info, SafeFileHandle file, IReadOnlyList<MemoryImageMapping> images, IReadOnlyList<int> coveredDataSegments)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(coveredDataSegments);
        if (file.IsInvalid || file.IsClosed) throw new ArgumentException("the image file handle is not open", nameof(file));
        File = file;
        _byMemory = new MemoryImageMapping[info.Memories.Count];
        _covered = new bool[info.Data.Count];
        long fileLength;
        try
        {
            fileLength = RandomAccess.GetLength(file);
        }
        catch (IOException e)
        {
            throw new ArgumentException($"the image file's length cannot be read: {e.Message}", nameof(file), e);
        }
        ulong page = (ulong)Environment.SystemPageSize;
        foreach (var image in images)
        {
            int m = image.MemoryIndex;
            if (m < info.ImportedMemoryCount || m >= info.Memories.Count)
                throw new ArgumentException($"memory image for memory {m}, which is not a defined memory", nameof(images));
            if (_byMemory[m].Length != 0) throw new ArgumentException($"two memory images for memory {m}", nameof(images));
            ulong minBytes = Math.Min(info.Memories[m].Limits.Min, LinearMemory.MaxPages) * LinearMemory.PageSize;
            if (image.Length == 0 || image.Length % page != 0 || image.MemoryOffset % page != 0 || image.FileOffset < 0 ||
                (ulong)image.FileOffset % page != 0)
                throw new ArgumentException($"memory image for memory {m} is not page-aligned", nameof(images));
            if (image.MemoryOffset > minBytes || image.Length > minBytes - image.MemoryOffset)
                throw new ArgumentException($"memory image for memory {m} runs past the memory's minimum size", nameof(images));
            if ((ulong)image.FileOffset > (ulong)fileLength || image.Length > (ulong)fileLength - (ulong)image.FileOffset)
                throw new ArgumentException($"memory image for memory {m} runs past the end of the file", nameof(images));
            _byMemory[m] = image;
        }
        foreach (int i in coveredDataSegments)
        {
            if ((uint)i >= (uint)info.Data.Count) throw new ArgumentException($"covered data segment {i} does not exist", nameof(coveredDataSegments));
            var seg = info.Data[i];
            if (seg.Mode != SegmentMode.Active || !MemoryImagePlanner.CannotTrap(info, seg, out ulong offset) ||
                _byMemory[(int)seg.MemoryIndex] is not { Length: > 0 } image ||
                (seg.DataLength > 0 && (offset < image.MemoryOffset || offset + (ulong)seg.DataLength > image.MemoryOffset + image.Length)))
                throw new ArgumentException($"covered data segment {i} is not inside its memory's image", nameof(coveredDataSegments));
            _covered[i] = true;
        }
        PoolAffinityHeads = new int[_byMemory.Length];
        Array.Fill(PoolAffinityHeads, -1);
        var list = new MemoryImageMapping[images.Count];
        for (int i = 0, n = 0; i < _byMemory.Length; i++) if (_byMemory[i].Length != 0) list[n++] = _byMemory[i];
        Images = list;
    }

    /// <summary>
    /// Per memory index, the free slot of the engine's pooling allocator that most recently held this image, or -1
    /// (the head of that allocator's affinity list; a set belongs to one module, so to one engine). Guarded by the
    /// allocator's lock; kept here so finding a warm slot costs an index, not a hash lookup.
    /// </summary>
    internal int[] PoolAffinityHeads { get; }

    /// <summary>The file the images are mapped from.</summary>
    public SafeFileHandle File { get; }

    /// <summary>The images, in increasing memory index.</summary>
    public IReadOnlyList<MemoryImageMapping> Images { get; }

    /// <summary>The image of memory <paramref name="memoryIndex"/>, if it has one.</summary>
    public bool TryGetImage(int memoryIndex, out MemoryImageMapping image)
    {
        if ((uint)memoryIndex < (uint)_byMemory.Length && _byMemory[memoryIndex].Length != 0)
        {
            image = _byMemory[memoryIndex];
            return true;
        }
        image = default;
        return false;
    }

    /// <summary>Whether data segment <paramref name="dataSegmentIndex"/> is already in its memory's image.</summary>
    public bool Covers(int dataSegmentIndex) => (uint)dataSegmentIndex < (uint)_covered.Length && _covered[dataSegmentIndex];

    /// <summary>
    /// Plans the images of a module compiled in memory and writes them once into a memfd; null when no memory has an
    /// image or the OS offers no memfd (instantiation then copies, as without images).
    /// </summary>
    public static MemoryImageSet? ForModule(ModuleInfo info, string? name)
    {
        var plan = MemoryImagePlanner.Plan(info, Environment.SystemPageSize);
        if (plan.Images.Count == 0) return null;
        var mappings = plan.LayOut();
        long length = mappings[^1].FileOffset + (long)mappings[^1].Length;
        // The kernel limits memfd names to 249 bytes; the name is only a label in /proc/self/maps.
        string label = name is { Length: > 0 } ? (name.Length > 64 ? name[..64] : name) : "module";
        var file = MemoryFile.TryCreate($"sharptime-data:{label}", length, fd =>
        {
            for (int i = 0; i < mappings.Length; i++)
            {
                int errno = plan.Images[i].WriteToZeroedFile(fd, mappings[i].FileOffset);
                if (errno != 0) return errno;
            }
            return 0;
        });
        return file is null ? null : new MemoryImageSet(info, file, mappings, plan.CoveredSegments);
    }
}
