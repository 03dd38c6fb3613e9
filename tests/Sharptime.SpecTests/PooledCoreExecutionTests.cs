using Sharptime.Tests.Shared;
using Sharptime.Wast;
using Xunit.Abstractions;

namespace Sharptime.SpecTests;

/// <summary>
/// The core suite with the pooling instance allocator (guard-page bounds checks): every memory, table and instance of
/// a script comes from a pool slot, so the scripts check pooled slots behave exactly like on-demand ones.
/// </summary>
public sealed class PooledCoreExecutionTests(ITestOutputHelper output)
{
    /// <summary>One case per script, as <see cref="CoreExecutionTests"/>.</summary>
    public static TheoryData<string> Scripts() => CoreSpecTests.Scripts();

    [Theory]
    [MemberData(nameof(Scripts))]
    public void ScriptRuns(string script) => Run(output, script, BoundsChecks.GuardPages);

    /// <summary>
    /// Pools big enough for any script of the suite: each script runs in one store, so its instances add up. Memories
    /// keep the default 4 GiB maximum so growth fails only where the scripts expect it.
    /// </summary>
    internal static Config PooledConfig(BoundsChecks boundsChecks) => new Config { BoundsChecks = boundsChecks }.PoolingAllocation(new PoolingAllocationConfig
    {
        TotalCoreInstances = 1000,
        TotalMemories = 400,
        TotalTables = 400,
        TableElements = 100_000,
    });

    internal static void Run(ITestOutputHelper output, string script, BoundsChecks boundsChecks)
    {
        var path = Path.Combine(SpecDirectory.Require("core"), script);
        var result = new WastRunner(config: PooledConfig(boundsChecks)).RunFile(path);
        output.WriteLine(result.ToString());
        bool simd = script.StartsWith("simd_", StringComparison.Ordinal);
        Assert.True(result.Failed == 0 && (simd || result.Skipped == 0), CoreExecutionTests.Describe(result));
    }
}

/// <summary>The memory, data, table and linking scripts again with pooling and explicit bounds checks.</summary>
public sealed class PooledExplicitBoundsExecutionTests(ITestOutputHelper output)
{
    /// <summary>The scripts that exercise memories, tables and their reuse across instances.</summary>
    public static TheoryData<string> Scripts()
    {
        var all = CoreSpecTests.Scripts();
        var picked = new TheoryData<string>();
        foreach (object[] row in (IEnumerable<object[]>)all)
        {
            var script = (string)row[0];
            if (script.StartsWith("memory", StringComparison.Ordinal) || script.StartsWith("table", StringComparison.Ordinal) ||
                script is "data.wast" or "elem.wast" or "linking.wast" or "bulk.wast" or "address.wast" or "imports.wast")
                picked.Add(script);
        }
        return picked.Count > 0 ? picked : all; // the suite's absence sentinel
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void ScriptRuns(string script) => PooledCoreExecutionTests.Run(output, script, BoundsChecks.Explicit);
}
