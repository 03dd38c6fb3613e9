using Sharptime.Tests.Shared;
using Xunit.Abstractions;

namespace Sharptime.SpecTests;

/// <summary>The WebAssembly 2.0 core suite (<c>spec/core/*.wast</c>), front-end judgements only.</summary>
public sealed class CoreSpecTests(ITestOutputHelper output)
{
    public const string Missing = "<spec suite not found>";

    /// <summary>One case per script; a single sentinel case when the suite is absent, so the absence fails loudly.</summary>
    public static TheoryData<string> Scripts()
    {
        var data = new TheoryData<string>();
        if (SpecDirectory.Path is not { } root || !Directory.Exists(Path.Combine(root, "core")))
        {
            data.Add(Missing);
            return data;
        }
        foreach (var file in Directory.GetFiles(Path.Combine(root, "core"), "*.wast").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void ScriptIsJudgedCorrectly(string script)
    {
        var path = Path.Combine(SpecDirectory.Require("core"), script);
        var report = SpecScriptRunner.Run(path);
        output.WriteLine(report.Summary());
        Assert.True(report.Failures.Count == 0, report.Describe());
    }
}
