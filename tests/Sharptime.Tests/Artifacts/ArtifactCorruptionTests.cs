using System.Buffers.Binary;
using Sharptime.Artifacts;

namespace Sharptime.Tests.Artifacts;

/// <summary>Truncated, corrupted and hostile artifacts are refused with <see cref="InvalidArtifactException"/>, never a crash.</summary>
public class ArtifactCorruptionTests
{
    private static readonly byte[] Artifact = new Engine().PrecompileModule(Module.ConvertText(ArtifactRoundTripTests.Calc));

    private static void Reseal(byte[] artifact) =>
        ArtifactChecksum.Compute(artifact, artifact.AsSpan(ArtifactChecksum.FieldOffset, ArtifactChecksum.Size));

    [Fact]
    public void TruncatedArtifactIsReportedAsCorrupted()
    {
        using var engine = new Engine();
        var e = Assert.Throws<InvalidArtifactException>(() => Module.Deserialize(engine, Artifact.AsSpan(0, Artifact.Length - 100)));
        Assert.Contains("checksum", e.Message);
    }

    [Fact]
    public void FlippedCodeByteIsCaughtByTheChecksumBeforeAnythingRuns()
    {
        using var engine = new Engine();
        var copy = (byte[])Artifact.Clone();
        copy[ArtifactFormat.PageAlignment + 5] ^= 0x40;
        var e = Assert.Throws<InvalidArtifactException>(() => Module.Deserialize(engine, copy));
        Assert.Contains("checksum", e.Message);
    }

    [Fact]
    public void WasmBinaryIsNotAnArtifact()
    {
        using var engine = new Engine();
        var e = Assert.Throws<InvalidArtifactException>(() => Module.Deserialize(engine, Module.ConvertText(ArtifactRoundTripTests.Calc)));
        Assert.Contains("Module.FromBytes", e.Message);
    }

    [Fact]
    public void EmptyInputIsNotAnArtifact()
    {
        using var engine = new Engine();
        Assert.Throws<InvalidArtifactException>(() => Module.Deserialize(engine, []));
    }

    [Fact]
    public void SectionHeadersPointingPastTheEndAreRefused()
    {
        using var engine = new Engine();
        var copy = (byte[])Artifact.Clone();
        BinaryPrimitives.WriteUInt64LittleEndian(copy.AsSpan(40), (ulong)copy.Length - 10); // e_shoff
        Reseal(copy);
        var e = Assert.Throws<InvalidArtifactException>(() => Module.Deserialize(engine, copy));
        Assert.Contains("section headers", e.Message);
    }

    [Fact]
    public void SectionOffsetOutsideTheFileIsRefused()
    {
        using var engine = new Engine();
        var copy = (byte[])Artifact.Clone();
        int shoff = (int)BinaryPrimitives.ReadUInt64LittleEndian(copy.AsSpan(40));
        BinaryPrimitives.WriteUInt64LittleEndian(copy.AsSpan(shoff + 64 * 2 + 24), 1UL << 40); // section 2's sh_offset
        Reseal(copy);
        var e = Assert.Throws<InvalidArtifactException>(() => Module.Deserialize(engine, copy));
        Assert.Contains("outside", e.Message);
    }

    [Fact]
    public void DeserializeFileOfAMissingFileThrowsFileNotFound()
    {
        using var engine = new Engine();
        Assert.Throws<FileNotFoundException>(() => Module.DeserializeFile(engine, Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.cwasm")));
    }

    /// <summary>
    /// 10,000 seeded mutations: byte flips, runs of random bytes, truncations and edited header fields, most of them
    /// re-sealed with a valid checksum so the structural checks (not only the checksum) are exercised. Every load must
    /// succeed or throw one of the artifact exceptions.
    /// </summary>
    [Fact]
    public void MutatedArtifactsNeverEscapeTheArtifactExceptions()
    {
        using var engine = new Engine();
        var random = new Random(20261121);
        int shoff = (int)BinaryPrimitives.ReadUInt64LittleEndian(Artifact.AsSpan(40));
        int metadata = MetadataStart(Artifact);
        int refused = 0;
        for (int iteration = 0; iteration < 10_000; iteration++)
        {
            var copy = Mutate(Artifact, random, shoff, metadata);
            if (random.Next(10) != 0 && copy.Length >= ArtifactChecksum.FieldOffset + ArtifactChecksum.Size) Reseal(copy);
            try
            {
                Module.Deserialize(engine, copy);
            }
            catch (InvalidArtifactException)
            {
                refused++;
            }
            catch (ArtifactMismatchException)
            {
                refused++;
            }
        }
        Assert.InRange(refused, 5_000, 10_000);
    }

    /// <summary>Where the metadata sections start: the first page after the text (see <see cref="ArtifactFormat"/>).</summary>
    private static int MetadataStart(byte[] artifact)
    {
        var reader = ArtifactReader.Read(artifact);
        return (int)reader.Get(ArtifactFormat.EngineSection).Offset;
    }

    // Mutations aim at the header, the metadata and the section headers: code bytes are trusted once the checksum holds.
    private static byte[] Mutate(byte[] original, Random random, int shoff, int metadata)
    {
        var copy = (byte[])original.Clone();
        int Target() => random.Next(4) switch
        {
            0 => random.Next(0, 64),
            1 => random.Next(shoff, copy.Length),
            _ => random.Next(metadata, shoff),
        };
        switch (random.Next(6))
        {
            case 0:
                copy[Target()] ^= (byte)(1 << random.Next(8));
                return copy;
            case 1:
                for (int i = Target(), n = random.Next(1, 16); i < copy.Length && n-- > 0; i++) copy[i] = (byte)random.Next(256);
                return copy;
            case 2:
                return copy.AsSpan(0, random.Next(copy.Length)).ToArray();
            case 3:
            {
                // An edited section header field: offset, size, name or type.
                int section = random.Next(1, BinaryPrimitives.ReadUInt16LittleEndian(copy.AsSpan(60)));
                int field = random.Next(4) switch { 0 => 24, 1 => 32, 2 => 0, _ => 4 };
                int at = shoff + 64 * section + field;
                ulong value = random.Next(3) switch
                {
                    0 => (ulong)random.NextInt64(0, copy.Length * 2L),
                    1 => ulong.MaxValue - (ulong)random.Next(100),
                    _ => (ulong)random.Next(64),
                };
                if (field >= 24) BinaryPrimitives.WriteUInt64LittleEndian(copy.AsSpan(at), value);
                else BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(at), (uint)value);
                return copy;
            }
            case 4:
            {
                // A 32-bit field inside the metadata set to an extreme count or index.
                int at = random.Next(metadata, shoff - 4) & ~3;
                BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(at), random.Next(2) == 0 ? uint.MaxValue - (uint)random.Next(4) : (uint)random.Next(1 << 20));
                return copy;
            }
            default:
            {
                // An ELF header field: e_shoff, e_shnum, e_shstrndx, e_shentsize.
                int at = random.Next(4) switch { 0 => 40, 1 => 60, 2 => 62, _ => 58 };
                if (at == 40) BinaryPrimitives.WriteUInt64LittleEndian(copy.AsSpan(at), (ulong)random.NextInt64(0, copy.Length * 2L));
                else BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(at), (ushort)random.Next(0, 70));
                return copy;
            }
        }
    }
}
