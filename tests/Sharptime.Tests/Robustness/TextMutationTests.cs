using Xunit.Abstractions;
using System.Text;
using Sharptime.Validation;

namespace Sharptime.Tests.Robustness;

/// <summary>
/// Any text must either parse, encode, decode and validate, or fail with <see cref="MalformedModuleException"/>
/// (text) or <see cref="InvalidModuleException"/>; nothing else may escape and nothing may hang.
/// </summary>
public sealed class TextMutationTests(ITestOutputHelper output)
{
    private const int Cases = 10_000;
    private const int Seed = 1121;

    private static readonly string[] Fragments =
    [
        "(", ")", " ", "$x", "0x", "-", "+", "_", "nan:0x", "inf", "1e99999", "0x1p-1074", "\"", "\\", "\\u{110000}", ";;", "(;", ";)",
        "i32.const", "local.get", "block", "end", "else", "(then", "(result i64)", "(param $p i32)", "offset=", "align=3",
        "v128.const i8x16", "i8x16.shuffle", "(type 99)", "(elem", "(data", "\u00e9", "\uffff", "18446744073709551616",
    ];

    // Swapping one of these for another keeps the text parseable but usually breaks typing.
    private static readonly string[] Interchangeable = ["i32", "i64", "f32", "f64", "funcref", "externref", "0", "1", "2", "$add", "$t2"];

    [Fact]
    public void MutatedTextOnlyFailsWithMalformedOrInvalid()
    {
        var outcome = MutationHarness.Run(Cases, TimeSpan.FromMinutes(3), (random, index) =>
        {
            var original = MutationCorpus.TextModules[index % MutationCorpus.TextModules.Length];
            var mutated = Mutate(original, random, out var description);
            return (description, () => WasmFrontEnd.DecodeAndValidate(Module.ConvertText(mutated)));
        }, Seed);
        output.WriteLine(outcome.ToString());
        Assert.True(outcome.Failures.Count == 0, MutationHarness.Describe(outcome.Failures, Cases, Seed));
        // The mutations must reach both the decoder's and the validator's error paths, or the test proves little.
        Assert.True(outcome.Malformed > Cases / 20 && outcome.Invalid > Cases / 100, outcome.ToString());
    }

    [Fact]
    public void DeeplyNestedTextIsRejectedWithoutStackOverflow()
    {
        var deep = "(module (func " + new string('(', 200_000) + new string(')', 200_000) + "))";
        var blocks = "(module (func " + string.Concat(Enumerable.Repeat("(block ", 100_000)) + new string(')', 100_000) + "))";
        foreach (var text in new[] { deep, blocks })
        {
            var e = Record.Exception(() => WasmFrontEnd.DecodeAndValidate(Module.ConvertText(text)));
            Assert.True(e is null or MalformedModuleException or InvalidModuleException, $"unexpected {e}");
        }
    }

    private static string Mutate(string text, Random random, out string description)
    {
        var s = new StringBuilder(text);
        var what = new List<string>();
        for (int i = random.Next(1, 4); i > 0 && s.Length > 0; i--)
        {
            int at = random.Next(s.Length);
            switch (random.Next(6))
            {
                case 4:
                case 5:
                {
                    var from = Interchangeable[random.Next(Interchangeable.Length)];
                    int found = s.ToString().IndexOf(" " + from, at, StringComparison.Ordinal);
                    if (found < 0) break;
                    var to = Interchangeable[random.Next(Interchangeable.Length)];
                    s.Remove(found + 1, from.Length).Insert(found + 1, to);
                    what.Add($"swap@{found + 1}:{from}->{to}");
                    break;
                }
                case 0:
                {
                    int n = Math.Min(random.Next(1, 12), s.Length - at);
                    s.Remove(at, n);
                    what.Add($"delete@{at}x{n}");
                    break;
                }
                case 1:
                {
                    var fragment = Fragments[random.Next(Fragments.Length)];
                    s.Insert(at, fragment);
                    what.Add($"insert@{at}:{fragment}");
                    break;
                }
                case 2:
                {
                    int len = Math.Min(random.Next(1, 40), s.Length - at);
                    var slice = s.ToString(at, len);
                    s.Insert(random.Next(s.Length), slice);
                    what.Add($"dup@{at}x{len}");
                    break;
                }
                default:
                {
                    char c = (char)random.Next(32, 127);
                    s[at] = c;
                    what.Add($"set@{at}={c}");
                    break;
                }
            }
        }
        description = string.Join(",", what);
        return s.ToString();
    }
}
