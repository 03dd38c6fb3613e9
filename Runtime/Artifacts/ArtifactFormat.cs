namespace Sharptime.Artifacts;

/// <summary>
/// How a Sharptime artifact identifies itself and names its sections. An artifact is an ELF64 little-endian shared
/// object (no program headers, no relocations) with EI_OSABI <see cref="OsAbi"/> and e_flags
/// <see cref="FlagsModule"/> or <see cref="FlagsComponent"/>; e_machine is the target's.
/// </summary>
/// <remarks>
/// Layout: the ELF header; <see cref="ChecksumSection"/> at byte 64; <c>.text</c> at a page boundary, immediately
/// followed by <c>.eh_frame</c> (its PC-relative offsets assume exactly that placement); the metadata sections from
/// the next page boundary; memory images, each page-aligned; <c>.symtab</c>/<c>.strtab</c> for tools; the section
/// headers last. Alloc sections have sh_addr equal to their file offset, so <c>objdump -d</c> addresses are file offsets.
/// </remarks>
internal static class ArtifactFormat
{
    /// <summary>EI_OSABI of our artifacts ('S').</summary>
    public const byte OsAbi = 0x53;

    public const uint FlagsModule = 0x5354_0001;
    public const uint FlagsComponent = 0x5354_0002;

    public const ushort MachineX64 = 62;
    public const ushort MachineAArch64 = 183;

    /// <summary>Alignment of <c>.text</c> and memory images in the file: the page size they are mapped with (recorded as <c>page-size</c>).</summary>
    public static readonly int PageAlignment = Math.Max(4096, Environment.SystemPageSize);

    public const string ChecksumSection = ".sharptime.checksum";
    public const string TextSection = ".text";
    public const string EhFrameSection = ".eh_frame";
    public const string EngineSection = ".sharptime.engine";
    public const string ModuleSection = ".sharptime.module";
    public const string TypesSection = ".sharptime.types";
    public const string FunctionsSection = ".sharptime.functions";
    public const string TrapsSection = ".sharptime.traps";
    public const string FaultSitesSection = ".sharptime.fault_sites";
    public const string AddressMapSection = ".sharptime.address_map";
    public const string NamesSection = ".sharptime.names";
    public const string ImagesSection = ".sharptime.images";
}
