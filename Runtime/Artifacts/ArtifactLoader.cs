using Sharptime.Artifacts.Sections;
using Sharptime.Compiler;
using Sharptime.Format;
using Sharptime.Vm;
using Sharptime.Vm.Debugging;
using Sharptime.Vm.MemoryImages;

namespace Sharptime.Artifacts;

/// <summary>A module read back from an artifact: what <see cref="Module"/> needs, all pointing into the mapping.</summary>
internal sealed record LoadedArtifact(ModuleInfo Info, string? Name, LoadedCode? Code, MemoryImageSet? MemoryImages, MappedArtifactFile File);

/// <summary>
/// Turns a mapped artifact into a loaded module: checks identity, checksum and engine settings, decodes the metadata
/// sections, then makes the text executable where it lies in the mapping and registers it.
/// </summary>
internal static unsafe class ArtifactLoader
{
    /// <summary>Loads <paramref name="file"/>, which it owns from now on (disposed when loading fails).</summary>
    public static LoadedArtifact Load(Engine engine, MappedArtifactFile file)
    {
        try
        {
            return LoadCore(engine, file);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private static LoadedArtifact LoadCore(Engine engine, MappedArtifactFile file)
    {
        var bytes = file.Span;
        var reader = ArtifactReader.Read(bytes);
        if (reader.Kind != Precompiled.Module)
            throw new InvalidArtifactException("this is a compiled component, not a module");
        if (reader.Machine != HostMachine)
            throw new ArtifactMismatchException(EngineMetadata.TargetKey, MachineName(reader.Machine), EngineMetadata.HostTarget);
        var metadata = EngineMetadata.Decode(Slice(bytes, reader.Get(ArtifactFormat.EngineSection)));
        metadata.CheckCompatible(EngineMetadata.For(engine.Config));

        var types = TypesSection.Decode(Slice(bytes, reader.Get(ArtifactFormat.TypesSection)));
        var moduleSection = reader.Get(ArtifactFormat.ModuleSection);
        var info = ModuleInfoSection.Decode(View(file, moduleSection), types);
        string? name = NamesSection.Decode(Slice(bytes, reader.Get(ArtifactFormat.NamesSection)), info.Names);

        var text = reader.Get(ArtifactFormat.TextSection);
        var ehFrame = reader.Get(ArtifactFormat.EhFrameSection);
        var addressMap = AddressMapSection.Decode(View(file, reader.Get(ArtifactFormat.AddressMapSection)));
        var traps = reader.Get(ArtifactFormat.TrapsSection);
        var trapTable = TrapTableSection.Decode(Pointer(file, traps), (int)traps.Size);
        var images = Images(reader, bytes, info, file);
        int defined = info.FunctionBodies.Count;
        if (defined == 0) return new LoadedArtifact(info, name, null, images, file);

        if (text.Offset % ArtifactFormat.PageAlignment != 0 || text.Offset % Environment.SystemPageSize != 0)
            throw new InvalidArtifactException($"section .text starts at {text.Offset}, not at a page boundary");
        if (ehFrame.Offset != text.Offset + Vm.Unwind.EhFrameWriter.PlacementAfter((int)text.Size))
            throw new InvalidArtifactException($"section .eh_frame is at {ehFrame.Offset}, not right after .text");
        var faults = reader.Get(ArtifactFormat.FaultSitesSection);
        var (faultSites, memoryTrapEntry) = FaultSitesSection.Decode(Pointer(file, faults), (int)faults.Size, (int)text.Size);
        var compiled = CodeLayoutSection.Decode(Slice(bytes, reader.Get(ArtifactFormat.FunctionsSection)), defined, (int)text.Size, addressMap, trapTable,
            faultSites, memoryTrapEntry);

        var image = CodeImageDescription.ForLoadedModule(compiled, (int)text.Size, info, name, engine.Config);
        // A file on a noexec mount cannot be executed where it is mapped: run a private copy of its text instead.
        var memory = file.TryMakeExecutable(text.Offset, ehFrame.Offset + ehFrame.Size - text.Offset)
            ? CodeMemory.InPlace(file.Address + (nint)text.Offset, (int)text.Size, file.Address + (nint)ehFrame.Offset, (int)ehFrame.Size, image)
            : CodeMemory.Copy(Slice(bytes, text), Slice(bytes, ehFrame), image);
        var code = new LoadedCode(compiled, memory, info, name);
        CodeRegistry.Register(code);
        return new LoadedArtifact(info, name, code, images, file);
    }

    /// <summary>The memory images, mapped from the artifact file itself; null when the module has none.</summary>
    private static MemoryImageSet? Images(ArtifactReader reader, ReadOnlySpan<byte> bytes, ModuleInfo info, MappedArtifactFile file)
    {
        var mappings = ImagesSection.Decode(Slice(bytes, reader.Get(ArtifactFormat.ImagesSection)), reader, out var covered);
        if (mappings.Length == 0) return null;
        try
        {
            return new MemoryImageSet(info, file.Handle, mappings, covered);
        }
        catch (ArgumentException e)
        {
            throw new InvalidArtifactException($"section {ArtifactFormat.ImagesSection}: {e.Message}");
        }
    }

    private static ushort HostMachine => System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.Arm64 => ArtifactFormat.MachineAArch64,
        _ => ArtifactFormat.MachineX64,
    };

    private static string MachineName(ushort machine) => machine switch
    {
        ArtifactFormat.MachineX64 => "x86_64",
        ArtifactFormat.MachineAArch64 => "aarch64",
        _ => $"ELF machine {machine}",
    };

    private static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> file, ArtifactSection s) => file.Slice((int)s.Offset, (int)s.Size);

    private static ReadOnlyMemory<byte> View(MappedArtifactFile file, ArtifactSection s) =>
        s.Size == 0 ? ReadOnlyMemory<byte>.Empty : new NativeMemoryManager<byte>((byte*)(file.Address + (nint)s.Offset), (int)s.Size).Memory;

    private static byte* Pointer(MappedArtifactFile file, ArtifactSection s)
    {
        if (s.Offset % 4 != 0) throw new InvalidArtifactException($"section {s.Name} at {s.Offset} is not 4-byte aligned");
        return (byte*)(file.Address + (nint)s.Offset);
    }
}
