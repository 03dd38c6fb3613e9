using System.Text;
using Sharptime.ComponentModel.Binary;
using Sharptime.ComponentModel.Tests.Text;
using Sharptime.ComponentModel.Text;
using Sharptime.Tests.Shared;
using Sharptime.Text;
using Sharptime.Validation;
using Xunit.Abstractions;

namespace Sharptime.ComponentModel.Tests.Spec;

/// <summary>
/// Judges every component and module of the component-model and wasmtime-component suites end to end (text →
/// binary → decode → validate): <c>module</c>/<c>component</c> commands and the modules of assert_unlinkable,
/// assert_trap and assert_uninstantiable must validate, assert_invalid must be invalid, assert_malformed malformed.
/// Commands that need the component runtime are counted as not run.
/// </summary>
public sealed class ComponentSuiteJudgementTests(ITestOutputHelper output)
{
    private enum Verdict { Valid, Invalid, Malformed }

    /// <summary>
    /// Single judgements that differ from the suite, with the reason. Files behind unsupported features are
    /// listed in <see cref="ComponentSpecScriptTests.Unsupported"/>. The test fails when an entry here starts to
    /// agree, so the list cannot go stale.
    /// </summary>
    private static readonly Dictionary<string, string> KnownDivergences = new(StringComparer.Ordinal)
    {
        ["wasmtime-component/implements-disabled.wast:3"] = "wasmtime feature gate (component_model_implements = false): we always accept `implements`",
        ["wasmtime-component/import.wast:1"] = "wasmtime implementation limit (re-exporting an imported function), not a spec rule",
        ["wasmtime-component/restrictions.wast:1"] = "wasmtime implementation limit (root-level component imports), not a spec rule",
        ["wasmtime-component/restrictions.wast:5"] = "wasmtime implementation limit (exporting a component from the root), not a spec rule",
        ["wasmtime-component/restrictions.wast:9"] = "wasmtime implementation limit (re-exporting an imported function), not a spec rule",
        ["wasmtime-component/restrictions.wast:16"] = "wasmtime implementation limit (root-level component imports), not a spec rule",
        ["wasmtime-component/simple.wast:24"] = "wasmtime implementation limit (root-level component imports), not a spec rule",
        ["wasmtime-component/simple.wast:30"] = "wasmtime implementation limit (exporting a component from the root), not a spec rule",
    };

    [Fact]
    public void EveryComponentSuiteModuleIsJudgedLikeTheSuite()
    {
        var root = SpecDirectory.Require();
        int judged = 0, agreed = 0, excused = 0, notRun = 0;
        var failures = new List<string>();
        var divergences = new List<string>();
        var stillDiverging = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in ComponentSpecScriptTests.Scripts())
        {
            var rel = (string)row[0];
            WastScript script;
            try
            {
                script = WastScript.Parse(File.ReadAllText(Path.Combine(root, rel)), rel);
            }
            catch (MalformedModuleException e)
            {
                failures.Add($"{rel}: script does not parse: {e.Message}");
                continue;
            }
            foreach (var command in script.Commands)
            {
                var (module, expected) = command switch
                {
                    WastModuleCommand c => (c.Module, Verdict.Valid),
                    WastAssertMalformed c => (c.Module, Verdict.Malformed),
                    WastAssertInvalid c => (c.Module, Verdict.Invalid),
                    WastAssertUnlinkable c => (c.Module, Verdict.Valid),
                    WastAssertUninstantiable c => (c.Module, Verdict.Valid),
                    WastAssertTrap { Module: { } m } => (m, Verdict.Valid),
                    _ => (null, Verdict.Valid),
                };
                if (module is null)
                {
                    notRun++;
                    continue;
                }
                judged++;
                var (actual, reason) = Judge(module);
                if (actual == expected)
                {
                    agreed++;
                    continue;
                }
                var key = $"{rel}:{command.Line}";
                var description = $"{key}: expected {expected}, got {actual}{(reason is null ? "" : ": " + reason)}";
                divergences.Add(description);
                if (KnownDivergences.ContainsKey(key))
                {
                    stillDiverging.Add(key);
                    excused++;
                }
                else if (ComponentSpecScriptTests.Unsupported.ContainsKey(rel))
                {
                    excused++;
                }
                else
                {
                    failures.Add(description);
                }
            }
        }
        foreach (var key in KnownDivergences.Keys)
        {
            if (!stillDiverging.Contains(key)) failures.Add($"{key} is listed as a known divergence but is now judged like the suite");
        }
        var summary = new StringBuilder($"{judged} modules and components judged: {agreed} like the suite, {excused} excused " +
            $"(unsupported features or known divergences), {failures.Count} failures; {notRun} commands not run\n");
        foreach (var d in divergences) summary.Append("  ").Append(d).Append('\n');
        output.WriteLine(summary.ToString());
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    private static (Verdict Verdict, string? Reason) Judge(WastModule module)
    {
        try
        {
            var bytes = ComponentWat.Encode(module);
            if (ComponentFrontEnd.IsComponent(bytes)) ComponentFrontEnd.DecodeAndValidate(bytes);
            else WasmFrontEnd.DecodeAndValidate(bytes);
            return (Verdict.Valid, null);
        }
        catch (MalformedModuleException e)
        {
            return (Verdict.Malformed, e.Message);
        }
        catch (InvalidModuleException e)
        {
            return (Verdict.Invalid, e.Message);
        }
    }
}
