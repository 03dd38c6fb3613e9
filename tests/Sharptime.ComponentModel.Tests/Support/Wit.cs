using Sharptime.ComponentModel.Wit;

namespace Sharptime.ComponentModel.Tests.Support;

internal static class TestWit
{
    public static string CorpusPath(string name) => Path.Combine(AppContext.BaseDirectory, "Corpus", name);

    public static WitResolution Resolve(string text, WitOptions? options = null) => WitResolver.ResolveText(text, "t.wit", options);

    public static WitPackage Single(string text, WitOptions? options = null) => Resolve(text, options).Roots.Single();

    /// <summary>The diagnostics of text that must fail, as <c>line:col: message</c>.</summary>
    public static IReadOnlyList<string> Errors(string text)
    {
        var e = Assert.Throws<WitException>(() => Resolve(text));
        return e.Diagnostics.Select(d => $"{d.Line}:{d.Column}: {d.Message}").ToList();
    }
}
