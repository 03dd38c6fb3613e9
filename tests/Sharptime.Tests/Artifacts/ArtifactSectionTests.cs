using Sharptime.Artifacts;
using Sharptime.Artifacts.Sections;
using Sharptime.Compiler;

namespace Sharptime.Tests.Artifacts;

/// <summary>The section encodings read back what they wrote.</summary>
public class ArtifactSectionTests
{
    [Fact]
    public void AddressMapRoundTripsIncludingBackwardWasmOffsets()
    {
        int[] code = [0, 3, 200, 100_000, 100_001, 5_000_000];
        int[] wasm = [10, 12, 9, 70_000, 11, 2_000_000_000];
        var decoded = AddressMapSection.Decode(AddressMapSection.Encode(new AddressMap(code, wasm)));
        Assert.Equal(code, decoded.CodeOffsets.ToArray());
        Assert.Equal(wasm, decoded.WasmOffsets.ToArray());
    }

    [Fact]
    public void AddressMapThatDoesNotDecodeLooksUpNothing()
    {
        var bytes = AddressMapSection.Encode(new AddressMap([0, 5, 9], [1, 2, 3]));
        bytes[^1] = 0x80; // a LEB128 that never ends
        var map = AddressMapSection.Decode(bytes);
        Assert.False(map.TryLookup(3, out _));
    }

    [Fact]
    public void ChecksumOfAMultiChunkFileVerifiesOnSeveralCores()
    {
        var file = new byte[5 * (1 << 20) + 123];
        new Random(7).NextBytes(file);
        ArtifactChecksum.Compute(file, file.AsSpan(ArtifactChecksum.FieldOffset, ArtifactChecksum.Size));
        Assert.True(ArtifactChecksum.Verify(file));
        file[^1] ^= 1;
        Assert.False(ArtifactChecksum.Verify(file));
    }

    [Fact]
    public void ChecksumIgnoresOnlyItsOwnField()
    {
        var file = new byte[4096];
        ArtifactChecksum.Compute(file, file.AsSpan(ArtifactChecksum.FieldOffset, ArtifactChecksum.Size));
        var sealedCopy = (byte[])file.Clone();
        file[ArtifactChecksum.FieldOffset - 1] = 1;
        Assert.False(ArtifactChecksum.Verify(file));
        file[ArtifactChecksum.FieldOffset - 1] = 0;
        file[ArtifactChecksum.FieldOffset + ArtifactChecksum.Size] = 1;
        Assert.False(ArtifactChecksum.Verify(file));
        Assert.True(ArtifactChecksum.Verify(sealedCopy));
    }

    [Fact]
    public void EngineMetadataRoundTrips()
    {
        var metadata = EngineMetadata.For(new Config { GenerateAddressMap = false });
        Assert.Equal(metadata.Values, EngineMetadata.Decode(metadata.Encode()).Values);
    }
}
