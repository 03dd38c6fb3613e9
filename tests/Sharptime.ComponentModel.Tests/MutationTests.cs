using Sharptime.ComponentModel.Tests.Support;
using Sharptime.ComponentModel.Wit;

namespace Sharptime.ComponentModel.Tests;

/// <summary>Seeded random edits of valid WIT: resolving must either succeed or raise <see cref="WitException"/>.</summary>
public sealed class MutationTests
{
    private static readonly string[] Fragments =
    [
        "{", "}", "(", ")", "<", ">", ",", ";", ":", "=", ".", "/", "@", "_", "->", "%", "*", "/*", "*/", "//", "///",
        "list", "result", "own", "borrow", "use", "include", "with", "as", "package", "interface", "world", "resource",
        "constructor", "static", "async", "func", "type", "record", "1.0.0", "0", "99999999999", "x", "-", " ", "\n",
        "@since(version = 1.0.0)", "@unstable(feature = f)", "import", "export", "self", "a:b/c", "é", "\0",
    ];

    [Theory]
    [InlineData("types.wit", 1)]
    [InlineData("types.wit", 2)]
    [InlineData("nested.wit", 3)]
    public void RandomEditsRaiseOnlyWitException(string corpus, int seed)
    {
        var text = File.ReadAllText(TestWit.CorpusPath(corpus));
        var random = new Random(seed);
        for (int i = 0; i < 1500; i++)
        {
            var mutated = Mutate(text, random);
            try
            {
                var resolution = WitResolver.ResolveText(mutated, "m.wit", new WitOptions { AllFeatures = (i & 1) == 0 });
                WitPrinter.Print(resolution.Packages);
            }
            catch (WitException)
            {
            }
            catch (Exception e)
            {
                Assert.Fail($"case {i} (seed {seed}) raised {e.GetType().Name}: {e.Message}\n--- input ---\n{mutated}");
            }
        }
    }

    [Fact]
    public void RandomTokenSequencesRaiseOnlyWitException()
    {
        var random = new Random(42);
        for (int i = 0; i < 2000; i++)
        {
            var text = "package a:b@1.0.0;\n" + string.Join(" ", Enumerable.Range(0, random.Next(1, 60)).Select(_ => Fragments[random.Next(Fragments.Length)]));
            try
            {
                WitPrinter.Print(WitResolver.ResolveText(text, "m.wit").Packages);
            }
            catch (WitException)
            {
            }
            catch (Exception e)
            {
                Assert.Fail($"case {i} raised {e.GetType().Name}: {e.Message}\n--- input ---\n{text}");
            }
        }
    }

    private static string Mutate(string text, Random random)
    {
        int edits = 1 + random.Next(3);
        for (int e = 0; e < edits; e++)
        {
            int at = random.Next(text.Length + 1);
            switch (random.Next(4))
            {
                case 0:
                    text = text.Remove(at, Math.Min(random.Next(1, 20), text.Length - at));
                    break;
                case 1:
                    text = text.Insert(at, Fragments[random.Next(Fragments.Length)]);
                    break;
                case 2:
                    if (at < text.Length) text = text.Remove(at, 1).Insert(at, ((char)random.Next(32, 127)).ToString());
                    break;
                default:
                {
                    int from = random.Next(text.Length);
                    int length = Math.Min(random.Next(1, 40), text.Length - from);
                    text = text.Insert(at, text.Substring(from, length));
                    break;
                }
            }
        }
        return text;
    }
}
