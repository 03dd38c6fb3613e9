using Sharptime.Validation;

namespace Sharptime.Tests.Robustness;

/// <summary>
/// Any byte sequence must either decode and validate, or fail with <see cref="MalformedModuleException"/> or
/// <see cref="InvalidModuleException"/>; nothing else may escape and nothing may hang.
/// </summary>
public sealed class BinaryMutationTests
{
    private const int Cases = 12_000;
    private const int Seed = 20261121;

    [Fact]
    public void MutatedModulesOnlyFailWithMalformedOrInvalid()
    {
        var failures = MutationHarness.Run(Cases, TimeSpan.FromMinutes(3), (random, index) =>
        {
            var corpus = MutationCorpus.BinaryModules;
            var original = corpus[index % corpus.Count];
            var mutated = Mutator.Mutate(original, random, out var description);
            return (description, () => WasmFrontEnd.DecodeAndValidate(mutated));
        }, Seed);
        Assert.True(failures.Count == 0, MutationHarness.Describe(failures, Cases, Seed));
    }

    [Fact]
    public void EveryPrefixOfAValidModuleIsRejectedCleanly()
    {
        var module = MutationCorpus.BinaryModules[0];
        for (int length = 0; length < module.Length; length++)
        {
            var prefix = module.AsMemory(0, length);
            var e = Record.Exception(() => WasmFrontEnd.DecodeAndValidate(prefix));
            Assert.True(e is MalformedModuleException, $"prefix of {length} bytes: expected MalformedModuleException, got {e?.GetType().Name ?? "success"}: {e}");
        }
    }
}
