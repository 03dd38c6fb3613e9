namespace Sharptime.Vm.MemoryImages;

/// <summary>
/// The runtime form of one image: map <see cref="Length"/> bytes of the image file from <see cref="FileOffset"/> at
/// <see cref="MemoryOffset"/> in memory <see cref="MemoryIndex"/>. Offsets and length are multiples of the OS page size.
/// </summary>
/// <param name="MemoryIndex">The memory's index (imports first); must be a defined memory.</param>
/// <param name="MemoryOffset">Where the image starts in the memory, in bytes.</param>
/// <param name="Length">The image's size in bytes, non-zero.</param>
/// <param name="FileOffset">Where the image's bytes start in the file.</param>
internal readonly record struct MemoryImageMapping(int MemoryIndex, ulong MemoryOffset, ulong Length, long FileOffset);
