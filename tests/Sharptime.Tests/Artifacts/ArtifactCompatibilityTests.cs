using Sharptime.Artifacts;
using Sharptime.Compiler;
using Sharptime.Validation;
using Sharptime.Vm;

namespace Sharptime.Tests.Artifacts;

/// <summary>Artifacts made by another version, for another target or with other code-changing settings are refused by name.</summary>
public class ArtifactCompatibilityTests
{
    private static readonly byte[] Wasm = Module.ConvertText(ArtifactRoundTripTests.Calc);

    /// <summary>An artifact of <see cref="Wasm"/> whose engine metadata has <paramref name="key"/> set to <paramref name="value"/>.</summary>
    private static byte[] ArtifactWith(string key, string value)
    {
        var config = new Config();
        var info = WasmFrontEnd.DecodeAndValidate(Wasm);
        var compiled = ModuleCompiler.Compile(info, new VMContextLayout(info), config.GenerateAddressMap);
        var metadata = EngineMetadata.For(config);
        metadata.Values[key] = value;
        return ArtifactWriter.WriteModule(compiled, info, null, metadata, config);
    }

    [Theory]
    [InlineData("sharptime-version", "0.0.1-other")]
    [InlineData("format-version", "99")]
    [InlineData("target", "riscv64-linux")]
    [InlineData("bounds-checks", "no-checks")]
    [InlineData("wasm-features", "mvp")]
    public void SettingThatDiffersIsNamedWithBothValues(string key, string value)
    {
        using var engine = new Engine();
        var e = Assert.Throws<ArtifactMismatchException>(() => Module.Deserialize(engine, ArtifactWith(key, value)));
        Assert.Equal(key, e.Setting);
        Assert.Equal(value, e.ArtifactValue);
        Assert.Equal(EngineMetadata.For(engine.Config).Values[key], e.EngineValue);
        Assert.Contains(value, e.Message);
    }

    [Fact]
    public void AddressMapSettingMustMatch()
    {
        using var without = new Engine(new Config { GenerateAddressMap = false });
        using var with = new Engine();
        var e = Assert.Throws<ArtifactMismatchException>(() => Module.Deserialize(with, without.PrecompileModule(Wasm)));
        Assert.Equal("address-map", e.Setting);
        Assert.Equal(("off", "on"), (e.ArtifactValue, e.EngineValue));
    }

    [Theory]
    [InlineData("epoch-interruption", true, false)]
    [InlineData("epoch-interruption", false, true)]
    [InlineData("consume-fuel", true, false)]
    [InlineData("consume-fuel", false, true)]
    public void InterruptionSettingsMustMatch(string key, bool inArtifact, bool inEngine)
    {
        static Config With(string key, bool on) =>
            key == "consume-fuel" ? new Config { ConsumeFuel = on } : new Config { EpochInterruption = on };
        using var maker = new Engine(With(key, inArtifact));
        using var loader = new Engine(With(key, inEngine));

        var e = Assert.Throws<ArtifactMismatchException>(() => Module.Deserialize(loader, maker.PrecompileModule(Wasm)));

        Assert.Equal(key, e.Setting);
        Assert.Equal((inArtifact ? "on" : "off", inEngine ? "on" : "off"), (e.ArtifactValue, e.EngineValue));
    }

    [Fact]
    public void ArtifactWithEpochsAndFuelLoadsInAnEngineWithBoth()
    {
        var config = new Config { EpochInterruption = true, ConsumeFuel = true };
        using var engine = new Engine(config);
        var module = Module.Deserialize(engine, new Engine(config).PrecompileModule(Wasm));
        Assert.Equal("calc", module.Name);
    }

    [Fact]
    public void CpuFeatureThisMachineLacksIsRefused()
    {
        using var engine = new Engine();
        var e = Assert.Throws<ArtifactMismatchException>(() => Module.Deserialize(engine, ArtifactWith("cpu-features", "popcnt,avx512-everything")));
        Assert.Equal("cpu-features", e.Setting);
        Assert.Contains("avx512-everything", e.EngineValue);
    }

    [Fact]
    public void SettingsThatChangeNoCodeMayDiffer()
    {
        using var engine = new Engine(new Config { MaxWasmStack = 128 * 1024, WasmBacktrace = false });
        var module = Module.Deserialize(engine, new Engine().PrecompileModule(Wasm));
        Assert.Equal("calc", module.Name);
    }

    [Fact]
    public void UnknownSettingFromANewerVersionIsRefused()
    {
        using var engine = new Engine();
        var e = Assert.Throws<ArtifactMismatchException>(() => Module.Deserialize(engine, ArtifactWith("simd-lowering", "avx2")));
        Assert.Equal("simd-lowering", e.Setting);
    }

    [Fact]
    public void ArtifactForAnotherMachineNamesTheTarget()
    {
        using var engine = new Engine();
        var artifact = engine.PrecompileModule(Wasm);
        artifact[18] = 183; // e_machine: AArch64
        ArtifactChecksum.Compute(artifact, artifact.AsSpan(ArtifactChecksum.FieldOffset, ArtifactChecksum.Size));
        var e = Assert.Throws<ArtifactMismatchException>(() => Module.Deserialize(engine, artifact));
        Assert.Equal(("target", "aarch64"), (e.Setting, e.ArtifactValue));
    }
}
