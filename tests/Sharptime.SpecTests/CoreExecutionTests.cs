using System.Text;
using Sharptime.Tests.Shared;
using Sharptime.Wast;
using Xunit.Abstractions;

namespace Sharptime.SpecTests;

/// <summary>
/// The WebAssembly 2.0 core suite (<c>spec/core/*.wast</c>) executed by <see cref="WastRunner"/>: every command of every
/// script, through the public embedding API. Non-SIMD scripts must pass completely (nothing failed, nothing skipped);
/// SIMD scripts (<c>simd_*.wast</c>) must not fail, but may skip their v128 commands. Runs with guard-page bounds
/// checks; <see cref="CoreExecutionExplicitBoundsTests"/> runs the same scripts with explicit checks.
/// </summary>
public sealed class CoreExecutionTests(ITestOutputHelper output)
{
    /// <summary>One case per script; a single sentinel case when the suite is absent, so the absence fails loudly.</summary>
    public static TheoryData<string> Scripts() => CoreSpecTests.Scripts();

    [Theory]
    [MemberData(nameof(Scripts))]
    public void ScriptRuns(string script) => Run(output, script, BoundsChecks.GuardPages);

    internal static void Run(ITestOutputHelper output, string script, BoundsChecks boundsChecks, bool interruption = false)
    {
        var path = Path.Combine(SpecDirectory.Require("core"), script);
        var config = new Config { BoundsChecks = boundsChecks, EpochInterruption = interruption, ConsumeFuel = interruption };
        var result = new WastRunner(config: config).RunFile(path);
        output.WriteLine(result.ToString());
        bool simd = script.StartsWith("simd_", StringComparison.Ordinal);
        if (simd) foreach (var skip in result.Skips) output.WriteLine($"  skipped {skip}");
        Assert.True(result.Failed == 0 && (simd || result.Skipped == 0), Describe(result));
    }

    internal static string Describe(WastFileResult result)
    {
        var text = new StringBuilder(result.ToString()).Append('\n');
        // Failures after the first few hundred are almost always the same cause again (a module that did not instantiate).
        const int Shown = 200;
        foreach (var failure in result.Failures.Take(Shown)) text.Append("  ").Append(failure).Append('\n');
        if (result.Failed > Shown) text.Append("  ... and ").Append(result.Failed - Shown).Append(" more failures\n");
        foreach (var skip in result.Skips.Take(20)) text.Append("  skipped ").Append(skip).Append('\n');
        return text.ToString();
    }
}

/// <summary>The core suite again with explicit bounds checks, so both bounds-check modes are covered on every run.</summary>
public sealed class CoreExecutionExplicitBoundsTests(ITestOutputHelper output)
{
    /// <summary>One case per script, as <see cref="CoreExecutionTests"/>.</summary>
    public static TheoryData<string> Scripts() => CoreSpecTests.Scripts();

    [Theory]
    [MemberData(nameof(Scripts))]
    public void ScriptRuns(string script) => CoreExecutionTests.Run(output, script, BoundsChecks.Explicit);
}

/// <summary>
/// The core suite with epoch checks and fuel counting compiled in (the runner grants unlimited fuel and a far deadline),
/// in both bounds-check modes: the extra code at function entries, loop headers, branches and trap sites must not
/// change any result.
/// </summary>
public sealed class CoreExecutionInterruptionTests(ITestOutputHelper output)
{
    /// <summary>One case per script and bounds-check mode.</summary>
    public static TheoryData<string, BoundsChecks> Cases()
    {
        var data = new TheoryData<string, BoundsChecks>();
        foreach (string script in CoreSpecTests.Scripts())
        {
            data.Add(script, BoundsChecks.GuardPages);
            data.Add(script, BoundsChecks.Explicit);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ScriptRunsWithEpochsAndFuel(string script, BoundsChecks boundsChecks) =>
        CoreExecutionTests.Run(output, script, boundsChecks, interruption: true);
}
