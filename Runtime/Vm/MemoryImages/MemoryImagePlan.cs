namespace Sharptime.Vm.MemoryImages;

/// <summary>
/// Which of a module's memories start from an image, the images' bytes, and which active data segments the images
/// cover (the instantiator does not copy those). This is what an artifact writer stores.
/// </summary>
internal sealed class MemoryImagePlan
{
    private readonly bool[] _covered;

    internal MemoryImagePlan(MemoryImage[] images, bool[] covered)
    {
        Images = images;
        _covered = covered;
        int count = 0;
        foreach (bool c in covered) if (c) count++;
        var list = new int[count];
        for (int i = 0, n = 0; i < covered.Length; i++) if (covered[i]) list[n++] = i;
        CoveredSegments = list;
    }

    /// <summary>The non-empty images, in increasing memory index.</summary>
    public IReadOnlyList<MemoryImage> Images { get; }

    /// <summary>Indices of the data segments the images cover, ascending.</summary>
    public IReadOnlyList<int> CoveredSegments { get; }

    /// <summary>Whether data segment <paramref name="dataSegmentIndex"/> is part of an image.</summary>
    public bool IsCovered(int dataSegmentIndex) => (uint)dataSegmentIndex < (uint)_covered.Length && _covered[dataSegmentIndex];

    /// <summary>
    /// Where each image goes in a file holding them back to back from <paramref name="firstOffset"/> (a multiple of the
    /// OS page size; images are page multiples, so each one starts page-aligned without padding).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="firstOffset"/> is negative or not page-aligned.</exception>
    public MemoryImageMapping[] LayOut(long firstOffset = 0)
    {
        if (firstOffset < 0 || firstOffset % Environment.SystemPageSize != 0)
            throw new ArgumentOutOfRangeException(nameof(firstOffset), firstOffset, "the first image must start at a page-aligned file offset");
        var mappings = new MemoryImageMapping[Images.Count];
        long at = firstOffset;
        for (int i = 0; i < mappings.Length; i++)
        {
            var image = Images[i];
            mappings[i] = new MemoryImageMapping(image.MemoryIndex, image.MemoryOffset, image.Length, at);
            at += (long)image.Length;
        }
        return mappings;
    }
}
