using Sharptime.Tests.Shared;
using Sharptime.Wast;
using Xunit.Abstractions;

namespace Sharptime.SpecTests;

/// <summary>
/// The core suite again, with every module precompiled, written to a file and loaded back with
/// <see cref="Module.DeserializeFile"/> before it is instantiated (<c>sharptime wast --roundtrip-artifacts</c>).
/// </summary>
public sealed class ArtifactRoundTripExecutionTests(ITestOutputHelper output)
{
    public static TheoryData<string> Scripts() => CoreSpecTests.Scripts();

    [Theory]
    [MemberData(nameof(Scripts))]
    public void ScriptRunsFromArtifacts(string script)
    {
        var path = Path.Combine(SpecDirectory.Require("core"), script);
        var result = new WastRunner { RoundTripArtifacts = true }.RunFile(path);
        output.WriteLine(result.ToString());
        bool simd = script.StartsWith("simd_", StringComparison.Ordinal);
        Assert.True(result.Failed == 0 && (simd || result.Skipped == 0), CoreExecutionTests.Describe(result));
    }
}
