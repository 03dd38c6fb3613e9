using Sharptime.Tests.Shared;
using Xunit.Abstractions;
using Sharptime.Validation;

namespace Sharptime.Tests.Robustness;

/// <summary>
/// Any byte sequence must either decode and validate, or fail with <see cref="MalformedModuleException"/> or
/// <see cref="InvalidModuleException"/>; nothing else may escape and nothing may hang.
/// </summary>
public sealed class BinaryMutationTests(ITestOutputHelper output)
{
    private const int Cases = 12_000;
    private const int Seed = 20261121;

    [Fact]
    public void MutatedModulesOnlyFailWithMalformedOrInvalid()
    {
        var outcome = MutationHarness.Run(Cases, TimeSpan.FromMinutes(3), (random, index) =>
        {
            var corpus = MutationCorpus.BinaryModules;
            var original = corpus[index % corpus.Count];
            var mutated = Mutator.Mutate(original, random, out var description);
            return (description, () => WasmFrontEnd.DecodeAndValidate(mutated));
        }, Seed);
        output.WriteLine(outcome.ToString());
        Assert.True(outcome.Failures.Count == 0, MutationHarness.Describe(outcome.Failures, Cases, Seed));
        // The mutations must reach both the decoder's and the validator's error paths, or the test proves little.
        Assert.True(outcome.Malformed > Cases / 20 && outcome.Invalid > Cases / 100, outcome.ToString());
    }

    [Fact]
    public void EveryPrefixEndingInsideASectionIsMalformed()
    {
        var module = MutationCorpus.BinaryModules[0];
        // A prefix ending after the header or after a whole section is itself a complete module.
        var boundaries = new HashSet<int> { 8 };
        foreach (var (_, _, end) in WasmSections.Enumerate(module)) boundaries.Add(end);
        for (int length = 0; length < module.Length; length++)
        {
            if (boundaries.Contains(length)) continue;
            var prefix = module.AsMemory(0, length);
            var e = Record.Exception(() => WasmFrontEnd.DecodeAndValidate(prefix));
            Assert.True(e is MalformedModuleException, $"prefix of {length} bytes: expected MalformedModuleException, got {e?.GetType().Name ?? "success"}: {e}");
        }
    }
}
