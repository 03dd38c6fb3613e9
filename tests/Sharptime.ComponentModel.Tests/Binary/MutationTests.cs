using System.Diagnostics;
using Sharptime.ComponentModel.Binary;
using Xunit.Abstractions;

namespace Sharptime.ComponentModel.Tests.Binary;

/// <summary>
/// Any byte sequence must either decode and validate as a component, or fail with
/// <see cref="MalformedModuleException"/> or <see cref="InvalidModuleException"/>; nothing else may escape and
/// nothing may hang.
/// </summary>
public sealed class MutationTests(ITestOutputHelper output)
{
    private const int Cases = 10_000;
    private const int Seed = 20261121;

    [Fact]
    public void MutatedComponentsOnlyFailWithMalformedOrInvalid()
    {
        var corpus = Samples.All;
        int valid = 0, malformed = 0, invalid = 0;
        var failures = new List<string>();
        var random = new Random(Seed);
        // The loop runs on its own thread so a hang fails the test instead of stalling the run.
        var worker = new Thread(() =>
        {
            for (int i = 0; i < Cases; i++)
            {
                var original = corpus[i % corpus.Count];
                var mutated = Mutate(original, random, out string description);
                try
                {
                    ComponentFrontEnd.DecodeAndValidate(mutated);
                    valid++;
                }
                catch (MalformedModuleException) { malformed++; }
                catch (InvalidModuleException) { invalid++; }
                catch (Exception e)
                {
                    if (failures.Count < 10) failures.Add($"case {i} ({description}): {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
                }
            }
        }, maxStackSize: 1 << 20);
        var clock = Stopwatch.StartNew();
        worker.Start();
        Assert.True(worker.Join(TimeSpan.FromMinutes(2)), "mutation run did not finish: a decoder loop may hang");
        output.WriteLine($"{Cases} cases in {clock.Elapsed}: {valid} valid, {malformed} malformed, {invalid} invalid");
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
        Assert.True(malformed > Cases / 20 && invalid > Cases / 50, $"{valid} valid, {malformed} malformed, {invalid} invalid");
    }

    [Fact]
    public void EveryTruncationIsMalformedOrValid()
    {
        foreach (var component in Samples.All)
        {
            for (int length = 0; length < component.Length; length++)
            {
                var e = Record.Exception(() => ComponentFrontEnd.DecodeAndValidate(component.AsMemory(0, length)));
                Assert.True(e is null or MalformedModuleException or InvalidModuleException, $"prefix {length}: {e}");
            }
        }
    }

    /// <summary>One to three edits: byte flips, small values written over bytes, insertions, deletions, truncation.</summary>
    private static byte[] Mutate(byte[] original, Random random, out string description)
    {
        var bytes = new List<byte>(original);
        int edits = 1 + random.Next(3);
        var parts = new List<string>();
        for (int e = 0; e < edits && bytes.Count > 8; e++)
        {
            // The preamble is left alone most of the time so mutations reach the sections.
            int at = random.Next(100) < 95 ? 8 + random.Next(bytes.Count - 8) : random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    parts.Add($"flip@{at}");
                    break;
                case 1:
                    bytes[at] = (byte)random.Next(8);
                    parts.Add($"small@{at}");
                    break;
                case 2:
                    bytes[at] = (byte)random.Next(256);
                    parts.Add($"random@{at}");
                    break;
                case 3:
                    bytes.Insert(at, (byte)random.Next(256));
                    parts.Add($"insert@{at}");
                    break;
                case 4:
                    bytes.RemoveAt(at);
                    parts.Add($"delete@{at}");
                    break;
                default:
                    bytes[at] = 0xFF;
                    if (at + 1 < bytes.Count) bytes[at + 1] = 0xFF;
                    parts.Add($"ff@{at}");
                    break;
            }
        }
        description = string.Join(",", parts);
        return [.. bytes];
    }
}
